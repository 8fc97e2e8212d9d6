import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './i18n/i18n';
import './app/styles.css';

/** The customer portal (/portal/*) is an app of its own in the same build: its own session, routes and layout. */
const PortalApp = lazy(() => import('./portal/portal-app').then((m) => ({ default: m.PortalApp })));
const isPortal = window.location.pathname === '/portal' || window.location.pathname.startsWith('/portal/');

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
);
