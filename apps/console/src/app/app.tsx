import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { createQueryClient } from '../api/query-client';
import { SignInPage } from '../auth/components/sign-in-page';
import { SessionProvider, useSession } from '../auth/session';
import { LiveEventsProvider } from '../live/live-events';
import { Loading } from '../ui/feedback';
import { router } from './router';

const queryClient = createQueryClient();

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
