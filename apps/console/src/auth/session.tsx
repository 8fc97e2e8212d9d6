import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { setCredentials } from '../api/client';
import { probeCapabilities, type Capabilities } from './capabilities';

/**
 * Stage 1 keeps the token for this tab only (sessionStorage: gone when the tab closes, never in
 * localStorage). It is replaced by the API's HttpOnly session cookie (POST /api/v1/session).
 */
const TOKEN_KEY = 'helpdesk.console.token';

interface Session {
  token: string | null;
  signIn: (token: string) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

function storedToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  setCredentials(token);
  return token;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(storedToken);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setCredentials(null);
    setToken(null);
    queryClient.clear();
  }, [queryClient]);

  const signIn = useCallback(
    (next: string) => {
      sessionStorage.setItem(TOKEN_KEY, next);
      setCredentials(next, signOut);
      setToken(next);
    },
    [signOut],
  );

  if (token) setCredentials(token, signOut);
  const value = useMemo(() => ({ token, signIn, signOut }), [token, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

const NONE: Capabilities = { globalAdmin: false, admin: false, worksTickets: false, comments: false };

/** What the signed-in token may do (asked once per sign-in; see probeCapabilities). */
export function useCapabilities(): { capabilities: Capabilities; ready: boolean } {
  const { token } = useSession();
  const query = useQuery({
    queryKey: ['capabilities', token],
    queryFn: () => probeCapabilities(token!),
    enabled: Boolean(token),
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const outcome = query.data;
  return { capabilities: outcome?.kind === 'staff' ? outcome.capabilities : NONE, ready: outcome?.kind === 'staff' };
}
