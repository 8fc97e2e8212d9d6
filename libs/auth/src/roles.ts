/** The partner's staff roles (see DOMAIN.md). */
export enum StaffRole {
  GlobalAdmin = 'global_admin',
  AdminAgent = 'admin_agent',
  HelpdeskAgent = 'helpdesk_agent',
  BillingAdmin = 'billing_admin',
  SalesAgent = 'sales_agent',
}

export const STAFF_ROLES: readonly StaffRole[] = Object.values(StaffRole);
