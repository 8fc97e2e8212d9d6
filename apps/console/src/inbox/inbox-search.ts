import type { paths } from '../api/schema';

type ListQuery = NonNullable<paths['/api/v1/tickets']['get']['parameters']['query']>;

/**
 * The inbox's filters, kept in the URL: one status and one priority at a time (the list route takes
 * several), the list route's other filters, its full-text search and its sort.
 */
export interface InboxFilters {
  status?: NonNullable<ListQuery['status']>[number];
  priority?: NonNullable<ListQuery['priority']>[number];
  queue?: string;
  category?: ListQuery['category'];
  assigneeId?: string;
  customerId?: string;
  q?: string;
  sort?: ListQuery['sort'];
  /** A view of the sidebar (built-in or saved): the list is then the view's, not the filters'. */
  view?: string;
}

const FILTER_KEYS = ['status', 'priority', 'queue', 'category', 'assigneeId', 'customerId', 'q', 'sort', 'view'] as const;

/** Keeps the known, non-empty string filters of a URL's search; the API validates their values. */
export function inboxSearch(search: Record<string, unknown>): InboxFilters {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = search[key];
    if (typeof value === 'string' && value !== '') filters[key] = value;
  }
  return filters as InboxFilters;
}

/** The list route's query for the inbox's filters. */
export function listQuery({ status, priority, view: _view, ...rest }: InboxFilters): ListQuery {
  return { ...rest, ...(status ? { status: [status] } : {}), ...(priority ? { priority: [priority] } : {}) };
}
