import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { fetchClient, setSession, type Schemas } from '../api/client';
import { capabilitiesOf, type Capabilities } from './capabilities';

export type SessionView = Schemas['SessionResponseDto'];

interface Session {
  /** Who is signed in; null when nobody is (the sign-in page), undefined while the API is asked. */
  current: SessionView | null | undefined;
  /** Takes the answer of POST /api/v1/session (the API has set the session cookie). */
  signedIn: (view: SessionView) => void;
  /** Ends the session in the API (DELETE /api/v1/session) and forgets everything loaded. */
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
const SESSION_KEY = ['session'];

/**
 * The session lives in the API: an HttpOnly cookie the console cannot read (so no token sits in
 * the browser's storage). On load the console asks GET /api/v1/session who is signed in; a 401
 * means nobody (or the session ended) and shows the sign-in page.
 */
async function fetchSession(): Promise<SessionView | null> {
  const { data, response } = await fetchClient.GET('/api/v1/session');
  // 403: a customer's portal session; the console shows its own sign-in (staff only).
  if (response.status === 401 || response.status === 403) return null;
  if (!data) throw Object.assign(new Error(`GET /api/v1/session: ${response.status}`), { status: response.status });
  return data;
}

/** Who is signed in: asked once per load (main.tsx starts it before the first render), then kept. */
export const sessionQuery = { queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, gcTime: Infinity };

/** The signed-in session as the API answered it, outside React (the router's loaders). */
export function sessionOf(queryClient: QueryClient): SessionView | null | undefined {
  return queryClient.getQueryData<SessionView | null>(SESSION_KEY);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery(sessionQuery);

  const ended = useCallback(() => {
    setSession(null);
    // Nobody is signed in (the sign-in page replaces the app), then nothing of theirs stays loaded.
    queryClient.setQueryData(SESSION_KEY, null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  }, [queryClient]);

  const signedIn = useCallback((view: SessionView) => queryClient.setQueryData(SESSION_KEY, view), [queryClient]);

  const signOut = useCallback(async () => {
    await fetchClient.DELETE('/api/v1/session').catch(() => undefined);
    ended();
  }, [ended]);

  const current = query.data;
  setSession(current?.csrfToken ?? null, ended);
  const value = useMemo(() => ({ current, signedIn, signOut }), [current, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

const NONE: Capabilities = { globalAdmin: false, admin: false, worksTickets: false, comments: false, managesCustomers: false, collections: false };

/** What the signed-in person may do (from their roles, as the API answered at sign-in or load). */
export function useCapabilities(): { capabilities: Capabilities; ready: boolean } {
  const { current } = useSession();
  return useMemo(() => ({ capabilities: current ? capabilitiesOf(current.roles) : NONE, ready: Boolean(current) }), [current]);
}
