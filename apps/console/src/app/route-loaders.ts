import type { QueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { sessionOf, sessionQuery } from '../auth/session';
import { capabilitiesOf } from '../auth/capabilities';
import { agentsQuery, customersQuery } from '../directory/hooks/use-directory';
import { viewNamesQuery, viewsQuery } from '../inbox/hooks/use-views';
import { inboxQueryOptions } from '../inbox/inbox-query';
import { inboxSearch, type InboxFilters } from '../inbox/inbox-search';
import { businessCalendarModuleQuery, supportPlansQuery } from '../ticket/hooks/use-business-calendars';
import { queryClient } from './console-query-client';
import { isHydrating } from './server-render';
import type { router } from './router';

type Router = typeof router;

/**
 * The routes' loaders start a page's requests while its chunk loads (in parallel, not after the
 * page's first render asks for them). They wait for nothing: the page shows each part as its answer
 * comes, through the same queries (same keys), so no request is made twice.
 */
function startDirectory(client: QueryClient): void {
  void client.prefetchQuery(customersQuery());
  const session = sessionOf(client);
  if (session && capabilitiesOf(session.roles).admin) void client.prefetchQuery(agentsQuery());
}

export function loadInbox(filters: InboxFilters): void {
  // The views' names now, their counts (a count per view) once the list is in: see useViews. Not while React takes
  // over the server's rows (drawn without counts): counts in the cache before then would draw another sidebar than
  // the server's (a hydration mismatch); the sidebar asks for them once it is React's.
  void queryClient.prefetchInfiniteQuery(inboxQueryOptions(filters)).then(() => (isHydrating() ? undefined : queryClient.prefetchQuery(viewsQuery())));
  void queryClient.prefetchQuery(viewNamesQuery());
  startDirectory(queryClient);
}

/**
 * A ticket page's requests, all at once: its data (the ticket, its comments and events in one request), the directory, the plans (the header's plan and
 * SLA calendar) with the calendar's chunk, and what depends on who is signed in as soon as that is
 * known (the agents' names for admins, the macros for those who work tickets) instead of after the
 * page's first render asks for them.
 */
export function loadTicket(id: string): void {
  const path = { params: { path: { id } } };
  for (const url of ['/api/v1/tickets/{id}/conversation', '/api/v1/tickets/{id}/attachments', '/api/v1/tickets/{id}/links'] as const) {
    void queryClient.prefetchQuery(api.queryOptions('get', url, path));
  }
  void queryClient.prefetchQuery(supportPlansQuery());
  void queryClient.prefetchQuery(businessCalendarModuleQuery);
  startDirectory(queryClient);
  void queryClient
    .ensureQueryData(sessionQuery)
    .then((session) => {
      if (!session) return;
      const capabilities = capabilitiesOf(session.roles);
      if (capabilities.admin) void queryClient.prefetchQuery(agentsQuery());
      if (capabilities.worksTickets) void queryClient.prefetchQuery(api.queryOptions('get', '/api/v1/macros'));
    })
    .catch(() => undefined);
}

/**
 * Starts the page the address names before the session is known (the router itself starts only
 * once someone is signed in): its chunks, and its requests, as its loader would. If nobody is
 * signed in they are refused and cost nothing more (the loader asks again after sign-in); if
 * someone is, the page's data is on its way while `GET /session` answers. The agents' names wait
 * for the session (only admins may list them).
 */
export function startPage(router: Router): void {
  const [routes, params] = router.getMatchedRoutes(window.location.pathname);
  for (const route of routes) void Promise.resolve(router.loadRouteChunk(route)).catch(() => undefined);
  const page = routes.at(-1)?.id;
  if (page === '/') loadInbox(inboxSearch(router.options.parseSearch(window.location.search)));
  else if (page === '/tickets/$ticketId' && params.ticketId) loadTicket(params.ticketId);
}
