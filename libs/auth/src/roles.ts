/** The partner's staff roles (see DOMAIN.md). */
export enum StaffRole {
  GlobalAdmin = 'global_admin',
  AdminAgent = 'admin_agent',
  HelpdeskAgent = 'helpdesk_agent',
  BillingAdmin = 'billing_admin',
  SalesAgent = 'sales_agent',
}

export const STAFF_ROLES: readonly StaffRole[] = Object.values(StaffRole);

/** The roles that may work (change) tickets, and so be given queues to be assigned from. */
export const TICKET_WORKER_ROLES: readonly StaffRole[] = [StaffRole.GlobalAdmin, StaffRole.AdminAgent, StaffRole.HelpdeskAgent];
