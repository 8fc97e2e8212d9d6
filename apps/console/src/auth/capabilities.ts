import type { Schemas } from '../api/client';

/** What the signed-in person may do, as far as the console needs to know to hide what they cannot. */
export interface Capabilities {
  /** global_admin: entitlements, agents' roles, new agents. */
  globalAdmin: boolean;
  /** admin_agent or global_admin: configuration, the dashboard, the live stream, retries. */
  admin: boolean;
  /** Change tickets, escalate, retriage (admin_agent, helpdesk_agent). */
  worksTickets: boolean;
  /** Add comments (also billing_admin). */
  comments: boolean;
  /** Customers' details and tokens: list and revoke (admin_agent, sales_agent); issuing is `admin`'s. */
  managesCustomers: boolean;
  /** Collections: dunning runs, previews and their history (billing_admin). */
  collections: boolean;
}

type Role = Schemas['SessionResponseDto']['roles'][number];

/**
 * The API's role rules (libs/auth/README.md, "Who may do what") as the console needs them; the API
 * still enforces every one. A global_admin may do everything any role may.
 */
export function capabilitiesOf(roles: readonly Role[]): Capabilities {
  const has = (...any: Role[]) => roles.includes('global_admin') || any.some((role) => roles.includes(role));
  return {
    globalAdmin: has(),
    admin: has('admin_agent'),
    worksTickets: has('admin_agent', 'helpdesk_agent'),
    comments: has('admin_agent', 'helpdesk_agent', 'billing_admin'),
    managesCustomers: has('admin_agent', 'sales_agent'),
    collections: has('billing_admin'),
  };
}
