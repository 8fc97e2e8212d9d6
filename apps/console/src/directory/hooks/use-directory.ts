import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client';
import { useCapabilities } from '../../auth/session';

const DIRECTORY_STALE_MS = 5 * 60_000;
/** The directory's queries (the routes' loaders start them with the page's own data). */
export const customersQuery = () => api.queryOptions('get', '/api/v1/customers', undefined, { staleTime: DIRECTORY_STALE_MS });
export const agentsQuery = () => api.queryOptions('get', '/api/v1/agents', undefined, { staleTime: DIRECTORY_STALE_MS });

/**
 * Names for the ids tickets carry: customers (every staff role may list them) and agents (only
 * admins may list them today; others see a short id).
 */
export function useDirectory() {
  const { capabilities } = useCapabilities();
  const customers = useQuery(customersQuery());
  const agents = useQuery({ ...agentsQuery(), enabled: capabilities.admin });

  const customerName = useCallback((id: string) => customers.data?.find((c) => c.id === id)?.name ?? id.slice(0, 8), [customers.data]);
  // Staff who only read a ticket get no staff ids from the API (no assignee id, actors by name): no name then.
  const agentName = useCallback((id: string | null | undefined) => (id == null ? null : (agents.data?.find((a) => a.id === id)?.name ?? id.slice(0, 8))), [agents.data]);
  return { customers: customers.data ?? [], agents: agents.data ?? [], customerName, agentName };
}
