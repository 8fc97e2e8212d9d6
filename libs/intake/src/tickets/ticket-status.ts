import { DomainError, DomainErrorCode, ProblemCode } from '@helpdesk/http';
import { TicketStatus } from './ticket-fields';

/**
 * new → triaged → in_progress ⇄ waiting_on_customer → resolved → closed; resolved → in_progress
 * (reopen); escalated only through escalation, and escalated → in_progress | resolved.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['triaged'],
  triaged: ['in_progress'],
  in_progress: ['waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  escalated: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

/** Transitions only the system makes (triage, escalation). */
const SYSTEM_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['triaged'],
  triaged: ['escalated'],
  in_progress: ['escalated'],
  waiting_on_customer: ['escalated'],
  escalated: [],
  resolved: [],
  closed: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus, via: 'manual' | 'system' = 'manual'): boolean {
  return TRANSITIONS[from].includes(to) || (via === 'system' && SYSTEM_TRANSITIONS[from].includes(to));
}

export function assertTransition(from: TicketStatus, to: TicketStatus, via: 'manual' | 'system' = 'manual'): void {
  if (canTransition(from, to, via)) return;
  const hint = to === 'escalated' ? ' (a ticket is escalated only through POST /tickets/:id/escalations)' : '';
  throw new DomainError(DomainErrorCode.InvalidTransition, `A ticket cannot go from ${from} to ${to}${hint}`, {
    from,
    to,
    allowed: TRANSITIONS[from],
    code: ProblemCode.TicketTransition,
    params: { from, to, allowed: TRANSITIONS[from] },
  });
}

/** A ticket's status as a portal shows it: the steps of the partner's own work are one `open`. */
export type PublicTicketStatus = 'open' | 'in_progress' | 'waiting_on_customer' | 'escalated_to_vendor' | 'resolved' | 'closed';

export const PUBLIC_STATUS: Readonly<Record<TicketStatus, PublicTicketStatus>> = {
  new: 'open',
  triaged: 'open',
  in_progress: 'in_progress',
  waiting_on_customer: 'waiting_on_customer',
  escalated: 'escalated_to_vendor',
  resolved: 'resolved',
  closed: 'closed',
};
