import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { api, type Schemas } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';
import { useCoalesced } from '../../live/use-coalesced';

/** How often the sidebar asks for its counts again when the stream says nothing. */
export const VIEW_COUNTS_REFRESH_MS = 30_000;
/** The shortest time between two counts that live events ask for. */
const VIEW_COUNTS_LIVE_GAP_MS = 3_000;
/**
 * A count the API does not read from the writes' counters (a search, tags, a customer, breaching
 * soon) is shared across agents and may show the tickets of up to 2 s before it is asked (the API's
 * COUNT_MAX_AGE_MS): after a change the counts are asked at once and once more after this.
 */
export const VIEW_COUNTS_SETTLE_MS = 2_200;

const VIEWS_KEY = api.queryOptions('get', '/api/v1/views').queryKey;
const NAMES_KEY = api.queryOptions('get', '/api/v1/views/names').queryKey;

/** The sidebar's views with their counts: one count per view, the sidebar's dearest request. */
export const viewsQuery = () => api.queryOptions('get', '/api/v1/views', {}, { refetchInterval: VIEW_COUNTS_REFRESH_MS, staleTime: VIEW_COUNTS_LIVE_GAP_MS });
/** The same views without counts: a small read, so the sidebar shows the names while the counts are made. */
export const viewNamesQuery = () => api.queryOptions('get', '/api/v1/views/names');

type View = Schemas['SavedViewDto'] | Schemas['UncountedViewDto'];

/** Whether a view of the sidebar carries its count yet. */
export const isCounted = (view: View): view is Schemas['SavedViewDto'] => 'count' in view;

/**
 * The sidebar's views (built-in, shared, personal): their names at once, then with their live
 * counts once `counted` (the inbox asks for them after its first page, so that counting every view
 * does not hold the database while the list is asked for). The counts are asked again every 30 s,
 * at once when the stream announces a change and after the console's own bulk changes, and each time
 * again VIEW_COUNTS_SETTLE_MS later (the counts the API shares for up to 2 s then show the change).
 */
export function useViews(counted = true) {
  const queryClient = useQueryClient();
  const counts = useQuery({ ...viewsQuery(), enabled: counted });
  const names = useQuery(viewNamesQuery());
  const refresh = useSettlingRefresh(queryClient);
  // Counting every view is the sidebar's dearest request: a burst of events asks for it once per gap.
  const liveRefresh = useCoalesced(refresh, VIEW_COUNTS_LIVE_GAP_MS);
  useLiveEvents(['ticket.created', 'ticket.escalated', 'sla.breached', 'reconnected'], liveRefresh);
  const views: { data: View[] | undefined; isPending: boolean; error: unknown } = counts.data
    ? counts
    : { data: names.data, isPending: names.isPending && counts.isPending, error: names.data ? null : (names.error ?? counts.error) };
  return { views, refresh };
}

/** After a view is saved, renamed or deleted: its name and every count. */
function invalidateViews(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: VIEWS_KEY });
  void queryClient.invalidateQueries({ queryKey: NAMES_KEY });
}

/** Saves a view; the sidebar shows it at once. */
export function useSaveView() {
  const queryClient = useQueryClient();
  return api.useMutation('post', '/api/v1/views', { onSuccess: () => invalidateViews(queryClient) });
}

/** Refreshes the sidebar's counts (after a change the stream does not announce). */
export function useRefreshViews() {
  return useSettlingRefresh(useQueryClient());
}

/** Asks for the counts now, and again once the counts the API shares must show the change (VIEW_COUNTS_SETTLE_MS). */
function useSettlingRefresh(queryClient: QueryClient): () => void {
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(settle.current), []);
  return useCallback(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: VIEWS_KEY });
    refresh();
    clearTimeout(settle.current);
    settle.current = setTimeout(refresh, VIEW_COUNTS_SETTLE_MS);
  }, [queryClient]);
}

/** Renames a saved view; the sidebar and the inbox's title show the new name. */
export function useRenameView() {
  const queryClient = useQueryClient();
  return api.useMutation('patch', '/api/v1/views/{id}', { onSuccess: () => invalidateViews(queryClient) });
}

/** Deletes a saved view; it leaves the sidebar at once. */
export function useDeleteView() {
  const queryClient = useQueryClient();
  return api.useMutation('delete', '/api/v1/views/{id}', { onSuccess: () => invalidateViews(queryClient) });
}
