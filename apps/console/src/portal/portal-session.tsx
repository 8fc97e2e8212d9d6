import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { fetchClient, setSession, type Schemas } from '../api/client';
import i18n from '../i18n/i18n';

export type PortalSessionView = Schemas['PortalSessionResponseDto'];

interface PortalSession {
  /** Who is signed in; null when nobody is (the sign-in page), undefined while the API is asked. */
  current: PortalSessionView | null | undefined;
  signedIn: (view: PortalSessionView) => void;
  signOut: () => Promise<void>;
}

const PortalSessionContext = createContext<PortalSession | null>(null);
const SESSION_KEY = ['portal-session'];
/** The contact whose language the portal last switched to (per tab): their own choice wins after that. */
const LOCALE_APPLIED_KEY = 'helpdesk.portal.locale-applied';

/**
 * The portal's session is the API's HttpOnly cookie, as the console's, but only a customer's: a
 * 401 (nobody) or a 403 (a staff session: the console is theirs) shows the portal's sign-in page.
 */
async function fetchPortalSession(): Promise<PortalSessionView | null> {
  const { data, response } = await fetchClient.GET('/api/v1/portal/session');
  if (response.status === 401 || response.status === 403) return null;
  if (!data) throw Object.assign(new Error(`GET /api/v1/portal/session: ${response.status}`), { status: response.status });
  return data;
}

export function PortalSessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: fetchPortalSession, staleTime: Infinity, gcTime: Infinity });

  const ended = useCallback(() => {
    setSession(null);
    queryClient.setQueryData(SESSION_KEY, null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  }, [queryClient]);
  const signedIn = useCallback((view: PortalSessionView) => queryClient.setQueryData(SESSION_KEY, view), [queryClient]);
  const signOut = useCallback(async () => {
    await fetchClient.DELETE('/api/v1/portal/session').catch(() => undefined);
    ended();
  }, [ended]);

  const current = query.data;
  setSession(current?.csrfToken ?? null, ended);

  // A contact reads the portal in their own language at first; the language switch changes it after.
  const contact = current?.contact;
  useEffect(() => {
    if (!contact) return;
    const who = `${current?.customerId}:${contact.email}`;
    if (sessionStorage.getItem(LOCALE_APPLIED_KEY) === who) return;
    sessionStorage.setItem(LOCALE_APPLIED_KEY, who);
    void i18n.changeLanguage(contact.locale);
  }, [contact, current?.customerId]);

  const value = useMemo(() => ({ current, signedIn, signOut }), [current, signedIn, signOut]);
  return <PortalSessionContext.Provider value={value}>{children}</PortalSessionContext.Provider>;
}

export function usePortalSession(): PortalSession {
  const session = useContext(PortalSessionContext);
  if (!session) throw new Error('usePortalSession outside PortalSessionProvider');
  return session;
}

/** The signed-in customer (the portal's pages render only once someone is). */
export function usePortalCustomer(): PortalSessionView {
  const { current } = usePortalSession();
  if (!current) throw new Error('usePortalCustomer before sign-in');
  return current;
}
