import { Principal } from '@helpdesk/auth';
import { DomainError } from '@helpdesk/http';

/**
 * A customer token sees only its own billing records: another customer's simply do not exist
 * (404 naming what was asked for, never who owns it).
 */
export function assertSeesCustomer(principal: Principal, ownerId: string, what = 'Billing account', asked: string = ownerId): void {
  if (principal.kind === 'customer' && principal.customerId !== ownerId) throw DomainError.notFound(what, asked);
}
