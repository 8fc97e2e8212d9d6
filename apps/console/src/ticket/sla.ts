import type { Schemas } from '../api/client';

type Ticket = Pick<Schemas['TicketResponseDto'], 'status' | 'sla'>;

export type SlaLevel = 'ok' | 'warning' | 'breached' | 'paused' | 'done' | 'none';

/** What the countdown needs of a support plan's calendar (libs/triage's BusinessCalendar). */
export interface BusinessClock {
  businessMinutesBetween(from: Date, to: Date): number;
}

export interface SlaState {
  level: SlaLevel;
  /** The target the clock runs for now: the first response until there is one, then resolution. */
  target: 'firstResponse' | 'resolution' | null;
  dueAt: string | null;
  /** Wall-clock time until the due time; negative once past it. */
  remainingMs: number;
  /**
   * Business time until the due time in the plan's calendar: what the SLA clock still has to run.
   * Null while the calendar is not known yet (or has nothing to count).
   */
  businessMinutesLeft: number | null;
}

const CLOSED = new Set(['resolved', 'closed']);

/**
 * Where a ticket stands against its SLA at `now`, by the SLA monitor's rule: at risk from the warn
 * time the API computed (75 % of the target's business time), breached once past the due time or
 * flagged. The countdown is business time, so it stands still outside the plan's hours.
 */
export function slaState(ticket: Ticket, now: number, calendar?: BusinessClock | null): SlaState {
  const { sla } = ticket;
  const target: SlaState['target'] = !sla.firstRespondedAt && sla.firstResponseDueAt ? 'firstResponse' : sla.resolutionDueAt ? 'resolution' : null;
  const dueAt = target === 'firstResponse' ? sla.firstResponseDueAt : target === 'resolution' ? sla.resolutionDueAt : null;
  const warnAt = target === 'firstResponse' ? sla.firstResponseWarnAt : target === 'resolution' ? sla.resolutionWarnAt : null;
  if (CLOSED.has(ticket.status)) return { level: sla.breached.resolution ? 'breached' : 'done', target: null, dueAt: null, remainingMs: 0, businessMinutesLeft: null };
  if (!target || !dueAt) return { level: 'none', target: null, dueAt: null, remainingMs: 0, businessMinutesLeft: null };
  const remainingMs = Date.parse(dueAt) - now;
  const businessMinutesLeft = calendar ? calendar.businessMinutesBetween(new Date(now), new Date(dueAt)) : null;
  const state = { target, dueAt, remainingMs, businessMinutesLeft };
  if (sla.breached[target] || remainingMs <= 0) return { level: 'breached', ...state };
  if (sla.pausedSince) return { level: 'paused', ...state };
  return { level: warnAt && now >= Date.parse(warnAt) ? 'warning' : 'ok', ...state };
}
