import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { SignInPage } from '../auth/components/sign-in-page';
import { SessionProvider, useSession } from '../auth/session';
import { LiveEventsProvider } from '../live/live-events';
import { Loading } from '../ui/feedback';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: (count, error) => count < 2 && !isClientError(error) },
  },
});

/** 4xx answers are final (a retry gets the same answer); network failures and 5xx are worth one more try. */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function Gate() {
  const { current } = useSession();
  if (current === undefined) return <Loading />;
  if (!current) return <SignInPage />;
  return (
    <LiveEventsProvider>
      <RouterProvider router={router} />
    </LiveEventsProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </QueryClientProvider>
  );
}
