import { infiniteQueryOptions } from '@tanstack/react-query';
import { fetchClient, type Schemas } from '../api/client';
import { listQuery, type InboxFilters } from './inbox-search';

type Page = Schemas['TicketPageDto'];

export const INBOX_PAGE_SIZE = 50;

/** A page of the list route for the filters, or of the chosen view (in the view's own filter and sort). */
export async function fetchInboxPage(filters: InboxFilters, cursor: string | null, signal?: AbortSignal): Promise<Page> {
  const page = { limit: INBOX_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  const { data, error } = filters.view
    ? await fetchClient.GET('/api/v1/views/{id}/tickets', { signal, params: { path: { id: filters.view }, query: page } })
    : await fetchClient.GET('/api/v1/tickets', { signal, params: { query: { ...listQuery(filters), ...page } } });
  if (error !== undefined || !data) throw error;
  return data;
}

/**
 * The inbox's list for its filters, pages of 50 by keyset cursor: one definition for the page's
 * hook and the route's loader, so the loader's request is the one the page shows.
 */
export function inboxQueryOptions(filters: InboxFilters) {
  return infiniteQueryOptions({
    queryKey: ['inbox', filters] as const,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => fetchInboxPage(filters, pageParam, signal),
    getNextPageParam: (last: Page) => last.nextCursor,
    // Merged by the inbox's head refresh instead: refetching every loaded page would be a storm on a long list.
    staleTime: Infinity,
  });
}
