import { Principal } from '@helpdesk/auth';
import { DomainError } from '@helpdesk/http';

/** A customer token sees only its own billing records: another customer's simply do not exist (404). */
export function assertSeesCustomer(principal: Principal, customerId: string, what = 'Billing account'): void {
  if (principal.kind === 'customer' && principal.customerId !== customerId) throw DomainError.notFound(what, customerId);
}
