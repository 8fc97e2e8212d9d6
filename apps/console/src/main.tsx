import { hydrate, type DehydratedState } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App } from './app/app';
import { queryClient } from './app/console-query-client';
import { startPage } from './app/route-loaders';
import { router } from './app/router';
import { sessionQuery } from './auth/session';
import { i18nReady, startLanguage } from './i18n/i18n';
import { warmIntl } from './app/warm-intl';
import { SERVER_DATA_ID, setHydrating } from './app/server-render';
import { setDrawnTimeZone } from './ui/time-zone';
import './app/styles.css';

/** The customer portal (/portal/*) is an app of its own in the same build: its own session, routes and layout. */
const PortalApp = lazy(() => import('./portal/portal-app').then((m) => ({ default: m.PortalApp })));
const isPortal = window.location.pathname === '/portal' || window.location.pathname.startsWith('/portal/');

/**
 * The api's server render of the inbox or a ticket (apps/api/src/console/server-render.ts): the answers
 * its page was drawn from, in a data block (JSON, not run: the CSP allows no inline script), and the
 * zone its times were drawn in. Taken only when drawn in the language this page starts in; otherwise
 * the page is drawn again, as without it.
 */
function serverRendered(): { queries: DehydratedState; timeZone?: string } | null {
  const block = document.getElementById(SERVER_DATA_ID);
  if (!block?.textContent) return null;
  try {
    const data = JSON.parse(block.textContent) as { language: string; timeZone?: string; queries: DehydratedState };
    return data.language === startLanguage ? data : null;
  } catch {
    return null;
  }
}
const server = isPortal ? null : serverRendered();
// Before anything asks: the session and the page's data are then answered from the cache, not requested again.
if (server) {
  hydrate(queryClient, server.queries);
  setHydrating(true);
  // The times as the server drew them while React takes its HTML over (then in the browser's zone, ui/time-zone.ts).
  setDrawnTimeZone(server.timeZone);
}

// Who is signed in is asked at once, while the language's strings, the page's chunk and its data load (not after the first render).
if (!isPortal) {
  void queryClient.prefetchQuery(sessionQuery);
  startPage(router);
}
// In a task of its own, after the requests above have left: the first `Intl` use, off the tasks that draw the page.
setTimeout(() => warmIntl(startLanguage), 0);

const app = (
  <StrictMode>
    {isPortal ? (
      <Suspense fallback={null}>
        <PortalApp />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>
);

void i18nReady.then(async () => {
  const root = document.getElementById('root')!;
  if (!server) {
    createRoot(root).render(app);
    return;
  }
  // The page's chunk and its route's match, as the server had them when it drew the rows (its data is in the cache).
  await router.load().catch(() => undefined);
  // What TanStack Router's own hydration sets: its tree is then drawn as on the server (no Suspense around the root
  // route), not as for a page it draws from nothing. The router's data (its `manifest`) is not used: none.
  router.ssr = { manifest: undefined };
  hydrateRoot(root, app);
});
