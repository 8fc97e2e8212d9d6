import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { createQueryClient } from '../api/query-client';
import { Loading } from '../ui/feedback';
import { LinkSignInPage, onLinkPage } from './components/link-sign-in-page';
import { PortalSignInPage } from './components/portal-sign-in-page';
import { PortalSessionProvider, usePortalSession } from './portal-session';
import { portalRouter } from './portal-router';

const queryClient = createQueryClient();

function Gate() {
  const { current } = usePortalSession();
  // A mailed link's page, signed in or not: someone may sign in as another contact.
  if (onLinkPage()) return <LinkSignInPage />;
  if (current === undefined) return <Loading />;
  if (!current) return <PortalSignInPage />;
  return <RouterProvider router={portalRouter} />;
}

/** The customer portal: its own session (customers only), router and layout, beside the staff console. */
export function PortalApp() {
  return (
    <QueryClientProvider client={queryClient}>
      <PortalSessionProvider>
        <Gate />
      </PortalSessionProvider>
    </QueryClientProvider>
  );
}
