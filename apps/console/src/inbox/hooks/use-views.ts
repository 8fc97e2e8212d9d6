import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';

/** How often the sidebar asks for its counts again when the stream says nothing. */
export const VIEW_COUNTS_REFRESH_MS = 30_000;

const VIEWS_KEY = api.queryOptions('get', '/api/v1/views').queryKey;

/**
 * The sidebar's views (built-in, shared, personal) with their live counts: asked again every 30 s,
 * at once when the stream announces a change, and after the console's own bulk changes.
 */
export function useViews() {
  const queryClient = useQueryClient();
  const views = api.useQuery('get', '/api/v1/views', {}, { refetchInterval: VIEW_COUNTS_REFRESH_MS });
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }), [queryClient]);
  useLiveEvents(['ticket.created', 'ticket.escalated', 'sla.breached'], refresh);
  return { views, refresh };
}

/** Saves a view; the sidebar shows it at once. */
export function useSaveView() {
  const queryClient = useQueryClient();
  return api.useMutation('post', '/api/v1/views', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }) });
}

/** Refreshes the sidebar's counts (after a change the stream does not announce). */
export function useRefreshViews() {
  const queryClient = useQueryClient();
  return useCallback(() => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }), [queryClient]);
}
