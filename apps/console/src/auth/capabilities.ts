import { fetchClient } from '../api/client';

/** What the signed-in token may do, as far as the console needs to know to hide what it cannot. */
export interface Capabilities {
  /** global_admin: entitlements, agents' roles, new agents. */
  globalAdmin: boolean;
  /** admin_agent or global_admin: configuration, the dashboard, the live stream, retries. */
  admin: boolean;
  /** Change tickets, escalate, retriage (admin_agent, helpdesk_agent). */
  worksTickets: boolean;
  /** Add comments (also billing_admin). */
  comments: boolean;
}

export type ProbeOutcome = { kind: 'staff'; capabilities: Capabilities } | { kind: 'invalid' } | { kind: 'customer' } | { kind: 'unreachable'; status?: number };

/** A ticket id no ticket has: the write probes below reach the role check and go no further. */
const NO_TICKET = '00000000-0000-0000-0000-000000000000';

/**
 * Asks the API what this token may do. The API has no "who am I" route yet, so the answer comes
 * from its authorisation itself: read routes only some roles may call, and two writes aimed at a
 * ticket that does not exist, which the role check answers (403) before anything is looked up or
 * written (404/400 otherwise). Nothing is ever changed by a probe.
 */
export async function probeCapabilities(token: string): Promise<ProbeOutcome> {
  const headers = { Authorization: `Bearer ${token}` };
  try {
    const staff = await fetchClient.GET('/api/v1/customers', { headers });
    if (staff.response.status === 401) return { kind: 'invalid' };
    if (staff.response.status === 403) return { kind: 'customer' };
    if (!staff.response.ok) return { kind: 'unreachable', status: staff.response.status };
    const [entitlements, agents, patch, comment] = await Promise.all([
      fetchClient.GET('/api/v1/entitlements', { headers }),
      fetchClient.GET('/api/v1/agents', { headers }),
      fetchClient.PATCH('/api/v1/tickets/{id}', { headers, params: { path: { id: NO_TICKET } }, body: {} }),
      fetchClient.POST('/api/v1/tickets/{id}/comments', { headers, params: { path: { id: NO_TICKET } }, body: { body: '', visibility: 'internal' } }),
    ]);
    const allowed = (response: Response) => response.status !== 403 && response.status !== 401;
    return {
      kind: 'staff',
      capabilities: {
        globalAdmin: entitlements.response.ok,
        admin: agents.response.ok,
        worksTickets: allowed(patch.response),
        comments: allowed(comment.response),
      },
    };
  } catch {
    return { kind: 'unreachable' };
  }
}
