import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { fetchClient, type Schemas } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';
import { listQuery, type InboxFilters } from '../inbox-search';
import { mergeHead } from '../merge-head';

type Page = Schemas['TicketPageDto'];

export const INBOX_PAGE_SIZE = 50;
/** How often the inbox asks for its first page again, for the changes the stream does not announce. */
export const INBOX_REFRESH_MS = 30_000;

/** A page of the list route for the filters, or of the chosen view (in the view's own filter and sort). */
async function fetchPage(filters: InboxFilters, cursor: string | null, signal?: AbortSignal): Promise<Page> {
  const page = { limit: INBOX_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  const { data, error } = filters.view
    ? await fetchClient.GET('/api/v1/views/{id}/tickets', { signal, params: { path: { id: filters.view }, query: page } })
    : await fetchClient.GET('/api/v1/tickets', { signal, params: { query: { ...listQuery(filters), ...page } } });
  if (error !== undefined || !data) throw error;
  return data;
}

/**
 * The agent inbox: tickets newest first in pages of 50 (keyset cursor), kept current without a
 * reload — by the live stream where the role may watch it (a new ticket triggers a look at the
 * first page at once), and by a look at the first page every 30 s for what the stream does not
 * announce (status, assignee, triage changes).
 */
export function useInbox(filters: InboxFilters) {
  const queryClient = useQueryClient();
  const queryKey = useMemo(() => ['inbox', filters] as const, [filters]);
  const query = useInfiniteQuery({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => fetchPage(filters, pageParam, signal),
    getNextPageParam: (last) => last.nextCursor,
    // Merged by refreshHead instead: refetching every loaded page would be a storm on a long list.
    staleTime: Infinity,
  });

  const pending = useRef<Promise<void> | null>(null);
  const refreshHead = useCallback(() => {
    pending.current ??= fetchPage(filters, null)
      .then((head) => {
        queryClient.setQueryData<InfiniteData<Page, string | null>>(queryKey, (data) => (data ? mergeHead(data, head.items) : data));
      })
      .catch(() => undefined)
      .finally(() => {
        pending.current = null;
      });
  }, [filters, queryClient, queryKey]);

  useEffect(() => {
    const timer = setInterval(refreshHead, INBOX_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshHead]);

  useLiveEvents(['ticket.created', 'ticket.escalated', 'sla.breached'], refreshHead);

  const tickets = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { ...query, tickets };
}
