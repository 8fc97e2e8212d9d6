import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { NotFound } from '../app/not-found';
import { PortalLayout } from './components/portal-layout';

/** The portal's pages under /portal; each its own chunk. */
const rootRoute = createRootRoute({ component: PortalLayout, notFoundComponent: NotFound });

const offeringRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./components/offering-page'), 'OfferingPage'),
});
const ticketsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tickets',
  component: lazyRouteComponent(() => import('./components/my-tickets-page'), 'MyTicketsPage'),
});
const newTicketRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tickets/new',
  component: lazyRouteComponent(() => import('./components/new-ticket-page'), 'NewTicketPage'),
});
const ticketRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tickets/$ticketId',
  component: lazyRouteComponent(() => import('./components/portal-ticket-page'), 'PortalTicketPage'),
});
const billingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/billing',
  component: lazyRouteComponent(() => import('./components/billing-page'), 'BillingPage'),
});
// A mailed link that did not work lands on /portal/sign-in; once signed in, that is the offering.
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  component: lazyRouteComponent(() => import('./components/offering-page'), 'OfferingPage'),
});

const routeTree = rootRoute.addChildren([offeringRoute, ticketsRoute, newTicketRoute, ticketRoute, billingRoute, signInRoute]);

export const portalRouter = createRouter({ routeTree, basepath: '/portal', defaultPreload: 'intent', scrollRestoration: true });
