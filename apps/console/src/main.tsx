import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { queryClient } from './app/console-query-client';
import { startPage } from './app/route-loaders';
import { router } from './app/router';
import { sessionQuery } from './auth/session';
import { i18nReady, startLanguage } from './i18n/i18n';
import { warmIntl } from './app/warm-intl';
import './app/styles.css';

/** The customer portal (/portal/*) is an app of its own in the same build: its own session, routes and layout. */
const PortalApp = lazy(() => import('./portal/portal-app').then((m) => ({ default: m.PortalApp })));
const isPortal = window.location.pathname === '/portal' || window.location.pathname.startsWith('/portal/');

// Who is signed in is asked at once, while the language's strings, the page's chunk and its data load (not after the first render).
if (!isPortal) {
  void queryClient.prefetchQuery(sessionQuery);
  startPage(router);
}
// In a task of its own, after the requests above have left: the first `Intl` use, off the tasks that draw the page.
setTimeout(() => warmIntl(startLanguage), 0);

void i18nReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      {isPortal ? (
        <Suspense fallback={null}>
          <PortalApp />
        </Suspense>
      ) : (
        <App />
      )}
    </StrictMode>,
  ),
);
