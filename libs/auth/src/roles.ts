/** The partner's staff roles (see DOMAIN.md). */
export enum StaffRole {
  GlobalAdmin = 'global_admin',
  AdminAgent = 'admin_agent',
  HelpdeskAgent = 'helpdesk_agent',
  BillingAdmin = 'billing_admin',
  SalesAgent = 'sales_agent',
}

export const STAFF_ROLES: readonly StaffRole[] = Object.values(StaffRole);

/** The roles that work (change) tickets of every category, and so may be given queues to be assigned from. */
export const TICKET_WORKER_ROLES: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent, StaffRole.HelpdeskAgent];

/** The roles that manage staff: agents' settings, deactivation, their tokens (a global_admin only by a global_admin). */
export const STAFF_MANAGER_ROLES: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent];

/** The roles that manage customers: their details, plan, contacts; they list and revoke the customers' tokens. */
export const CUSTOMER_MANAGER_ROLES: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent, StaffRole.SalesAgent];

/**
 * The roles that issue (and rotate) customers' tokens. Not sales_agent: a customer token files
 * tickets, which a sales_agent may not do, so minting one would widen their rights; revoking one
 * only narrows someone's, so every customer manager may.
 */
export const CUSTOMER_TOKEN_ISSUER_ROLES: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent];
