import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { RouterProvider } from '@tanstack/react-router';
import { queryClient } from './console-query-client';
import { SessionProvider, useSession } from '../auth/session';
import { LiveEventsProvider } from '../live/live-events';
import { Loading } from '../ui/feedback';
import { router as defaultRouter } from './router';


/** Only those not signed in need the sign-in page (and its form fields): a chunk of its own. */
const SignInPage = lazy(() => import('../auth/components/sign-in-page').then((m) => ({ default: m.SignInPage })));

function Gate({ router }: { router: ConsoleRouter }) {
  const { current } = useSession();
  if (current === undefined) return <Loading />;
  if (!current)
    return (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    );
  return (
    <LiveEventsProvider>
      <RouterProvider router={router} />
    </LiveEventsProvider>
  );
}

type ConsoleRouter = typeof defaultRouter;

/** The console; the server render passes its own cache and router (one per request), the browser uses the shared ones. */
export function App({ client = queryClient, router = defaultRouter }: { client?: QueryClient; router?: ConsoleRouter }) {
  return (
    <QueryClientProvider client={client}>
      <SessionProvider>
        <Gate router={router} />
      </SessionProvider>
    </QueryClientProvider>
  );
}
