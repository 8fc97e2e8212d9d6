import type { Principal } from './principal';
import { StaffRole, TICKET_WORKER_ROLES } from './roles';

/**
 * How far a caller reaches into one ticket (the table in libs/auth/README.md):
 * - `work`: everything, internal comments and the full timeline included; may comment (a public
 *   comment is the ticket's first response), change it, be assigned it;
 * - `read`: staff who read but do not work it: the ticket, its public comments and its public
 *   timeline; no internal notes, no triage working notes, no escalations;
 * - `customer`: the customer's own ticket, as a portal shows it;
 * - `none`: another customer's ticket (it does not exist for them: 404).
 */
export type TicketReach = 'work' | 'read' | 'customer' | 'none';

/** The ticket facts reach depends on. */
export interface TicketScope {
  customerId: string;
  category: string | null;
}

/** The categories of tickets staff with these roles work: all, or only these (billing_admin: billing matters only). */
export function workedCategories(roles: readonly StaffRole[]): 'all' | readonly string[] {
  if (roles.some((role) => TICKET_WORKER_ROLES.includes(role))) return 'all';
  return roles.includes(StaffRole.BillingAdmin) ? ['billing'] : [];
}

/** Whether staff with these roles work a ticket of this category. */
export function mayWorkTicket(roles: readonly StaffRole[], category: string | null): boolean {
  const worked = workedCategories(roles);
  return worked === 'all' || (category !== null && worked.includes(category));
}

export function ticketReach(principal: Principal, ticket: TicketScope): TicketReach {
  if (principal.kind === 'customer') return principal.customerId === ticket.customerId ? 'customer' : 'none';
  return mayWorkTicket(principal.roles, ticket.category) ? 'work' : 'read';
}
