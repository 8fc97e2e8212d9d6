import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';
import { useCoalesced } from '../../live/use-coalesced';

/** How often the sidebar asks for its counts again when the stream says nothing. */
export const VIEW_COUNTS_REFRESH_MS = 30_000;
/** The shortest time between two counts that live events ask for. */
const VIEW_COUNTS_LIVE_GAP_MS = 3_000;

const VIEWS_KEY = api.queryOptions('get', '/api/v1/views').queryKey;

/** The sidebar's query (the route's loader starts it with the list). */
export const viewsQuery = () => api.queryOptions('get', '/api/v1/views', {}, { refetchInterval: VIEW_COUNTS_REFRESH_MS });

/**
 * The sidebar's views (built-in, shared, personal) with their live counts: asked again every 30 s,
 * at once when the stream announces a change, and after the console's own bulk changes.
 */
export function useViews() {
  const queryClient = useQueryClient();
  const views = useQuery(viewsQuery());
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }), [queryClient]);
  // Counting every view is the sidebar's dearest request: a burst of events asks for it once per gap.
  const liveRefresh = useCoalesced(refresh, VIEW_COUNTS_LIVE_GAP_MS);
  useLiveEvents(['ticket.created', 'ticket.escalated', 'sla.breached'], liveRefresh);
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

/** Renames a saved view; the sidebar and the inbox's title show the new name. */
export function useRenameView() {
  const queryClient = useQueryClient();
  return api.useMutation('patch', '/api/v1/views/{id}', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }) });
}

/** Deletes a saved view; it leaves the sidebar at once. */
export function useDeleteView() {
  const queryClient = useQueryClient();
  return api.useMutation('delete', '/api/v1/views/{id}', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY }) });
}
