import { createRootRoute, createRoute, createRouter, lazyRouteComponent, type RouterHistory } from '@tanstack/react-router';
import { inboxSearch } from '../inbox/inbox-search';
import { Layout } from './layout';
import { NotFound } from './not-found';
import { loadInbox, loadTicket } from './route-loaders';

/** Every page is its own chunk; the shell and the router load first. */
const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFound });

const inboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: inboxSearch,
  loaderDeps: ({ search }) => search,
  // The server render (src/ssr/entry-server.tsx) is given its data: its loaders fetch nothing.
  loader: ({ deps }) => (import.meta.env.SSR ? undefined : loadInbox(deps)),
  component: lazyRouteComponent(() => import('../inbox/components/inbox-page'), 'InboxPage'),
});

const ticketRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tickets/$ticketId',
  loader: ({ params }) => (import.meta.env.SSR ? undefined : loadTicket(params.ticketId)),
  component: lazyRouteComponent(() => import('../ticket/components/ticket-page'), 'TicketPage'),
});

const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dashboard',
  component: lazyRouteComponent(() => import('../dashboard/components/dashboard-page'), 'DashboardPage'),
});

// Settings live under /settings: /admin/queues is the API's Bull Board.
const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('../admin/components/settings-layout'), 'SettingsLayout'),
});

const settingsIndexRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/',
  component: lazyRouteComponent(() => import('../admin/components/rules-page'), 'RulesPage'),
});
const rulesRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'rules',
  component: lazyRouteComponent(() => import('../admin/components/rules-page'), 'RulesPage'),
});
const knownIssuesRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'known-issues',
  component: lazyRouteComponent(() => import('../admin/components/known-issues-page'), 'KnownIssuesPage'),
});
const plansRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'plans',
  component: lazyRouteComponent(() => import('../admin/components/plans-page'), 'PlansPage'),
});
const escalationRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'escalation',
  component: lazyRouteComponent(() => import('../admin/components/escalation-settings-page'), 'EscalationSettingsPage'),
});
const agentsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'agents',
  component: lazyRouteComponent(() => import('../admin/components/agents-page'), 'AgentsPage'),
});

const macrosRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'macros',
  component: lazyRouteComponent(() => import('../admin/components/macros-page'), 'MacrosPage'),
});
const notificationTemplatesRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'notification-templates',
  component: lazyRouteComponent(() => import('../admin/components/notification-templates-page'), 'NotificationTemplatesPage'),
});
const auditRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: 'audit',
  component: lazyRouteComponent(() => import('../audit/components/audit-page'), 'AuditPage'),
});
const customersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers',
  component: lazyRouteComponent(() => import('../customer/components/customers-page'), 'CustomersPage'),
});
const customerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers/$customerId',
  component: lazyRouteComponent(() => import('../customer/components/customer-page'), 'CustomerPage'),
});

const unmatchedMailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/mail',
  component: lazyRouteComponent(() => import('../mailbox/components/unmatched-mail-page'), 'UnmatchedMailPage'),
});

const outgoingMailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/outgoing-mail',
  component: lazyRouteComponent(() => import('../outgoing/components/outgoing-mail-page'), 'OutgoingMailPage'),
});

const collectionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/collections',
  component: lazyRouteComponent(() => import('../collections/components/collections-page'), 'CollectionsPage'),
});

const tokensRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tokens',
  component: lazyRouteComponent(() => import('../tokens/components/tokens-page'), 'TokensPage'),
});

const routeTree = rootRoute.addChildren([
  tokensRoute,
  inboxRoute,
  ticketRoute,
  dashboardRoute,
  customersRoute,
  customerRoute,
  unmatchedMailRoute,
  outgoingMailRoute,
  collectionsRoute,
  settingsRoute.addChildren([settingsIndexRoute, rulesRoute, knownIssuesRoute, plansRoute, escalationRoute, agentsRoute, macrosRoute, notificationTemplatesRoute, auditRoute]),
]);

/**
 * The console's router. The server render makes one per request on the request's address (a memory
 * history) and without scroll restoration, which it would write as an inline script (the CSP refuses
 * it); the browser's router restores the scroll as before.
 */
export function createConsoleRouter(server?: { history: RouterHistory }) {
  return createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: !server, ...(server ? { history: server.history } : {}) });
}

export const router = createConsoleRouter();

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
