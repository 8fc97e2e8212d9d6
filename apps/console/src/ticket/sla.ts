import type { Schemas } from '../api/client';

type Ticket = Pick<Schemas['TicketResponseDto'], 'status' | 'createdAt' | 'sla'>;

export type SlaLevel = 'ok' | 'warning' | 'breached' | 'paused' | 'done' | 'none';

export interface SlaState {
  level: SlaLevel;
  /** The target the clock runs for now: the first response until there is one, then resolution. */
  target: 'firstResponse' | 'resolution' | null;
  dueAt: string | null;
  /** Until the due time; negative once past it. */
  remainingMs: number;
}

/** Share of the time to a target after which the console shows it as at risk (as the API's SLA monitor does). */
export const SLA_WARNING_FRACTION = 0.75;

const CLOSED = new Set(['resolved', 'closed']);

/**
 * Where a ticket stands against its SLA at `now`. The due times come from the API, computed in the
 * plan's business hours; the share elapsed is measured here between creation and the due time in
 * wall-clock time, which is what a countdown can show without the plan's calendar.
 */
export function slaState(ticket: Ticket, now: number): SlaState {
  const { sla } = ticket;
  const target: SlaState['target'] = !sla.firstRespondedAt && sla.firstResponseDueAt ? 'firstResponse' : sla.resolutionDueAt ? 'resolution' : null;
  const dueAt = target === 'firstResponse' ? sla.firstResponseDueAt : target === 'resolution' ? sla.resolutionDueAt : null;
  const remainingMs = dueAt ? Date.parse(dueAt) - now : 0;
  if (CLOSED.has(ticket.status)) return { level: sla.breached.resolution ? 'breached' : 'done', target: null, dueAt: null, remainingMs: 0 };
  if (!target || !dueAt) return { level: 'none', target: null, dueAt: null, remainingMs: 0 };
  if (sla.breached[target] || remainingMs <= 0) return { level: 'breached', target, dueAt, remainingMs };
  if (sla.pausedSince) return { level: 'paused', target, dueAt, remainingMs };
  const total = Date.parse(dueAt) - Date.parse(ticket.createdAt);
  const elapsed = now - Date.parse(ticket.createdAt);
  const level = total > 0 && elapsed / total >= SLA_WARNING_FRACTION ? 'warning' : 'ok';
  return { level, target, dueAt, remainingMs };
}
