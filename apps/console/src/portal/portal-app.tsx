import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { Loading } from '../ui/feedback';
import { PortalSignInPage } from './components/portal-sign-in-page';
import { PortalSessionProvider, usePortalSession } from './portal-session';
import { portalRouter } from './portal-router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: (count, error) => count < 2 && !isClientError(error) },
  },
});

function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function Gate() {
  const { current } = usePortalSession();
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
