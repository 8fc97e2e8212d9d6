import type { paths } from '../api/schema';

/** The inbox's filters are the list route's own query parameters, kept in the URL. */
export type InboxFilters = Omit<NonNullable<paths['/api/v1/tickets']['get']['parameters']['query']>, 'cursor' | 'limit'>;

const FILTER_KEYS = ['status', 'priority', 'queue', 'category', 'assigneeId', 'customerId'] as const;

/** Keeps the known, non-empty string filters of a URL's search; the API validates their values. */
export function inboxSearch(search: Record<string, unknown>): InboxFilters {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = search[key];
    if (typeof value === 'string' && value !== '') filters[key] = value;
  }
  return filters as InboxFilters;
}
