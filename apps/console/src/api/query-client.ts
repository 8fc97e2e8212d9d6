import { QueryClient } from '@tanstack/react-query';

/** 4xx answers are final (a retry gets the same answer); network failures and 5xx are worth one more try. */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The server-state cache of an app (the console, the portal): the same defaults for both. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: (count, error) => count < 2 && !isClientError(error) },
    },
  });
}
