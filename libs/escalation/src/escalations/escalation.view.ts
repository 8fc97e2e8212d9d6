import type { Actor } from '@helpdesk/auth';
import type { RoutingDecision } from '../routing/route-escalation';
import type { EscalationTier } from '../routing/tiers';

export type EscalationStatus = 'queued' | 'awaiting_vendor_case' | 'submitted' | 'acknowledged' | 'resolved' | 'rejected' | 'failed';
export const ESCALATION_STATUSES: readonly EscalationStatus[] = [
  'queued',
  'awaiting_vendor_case',
  'submitted',
  'acknowledged',
  'resolved',
  'rejected',
  'failed',
];
/** Statuses after which the vendor is done with the case; any other is an open escalation. */
export const CLOSED_ESCALATION_STATUSES: readonly EscalationStatus[] = ['resolved', 'rejected'];

export type EscalationTrigger = 'manual' | 'sla_breach';

/** An `escalations` row as PostgreSQL returns it. */
export interface EscalationRow {
  id: string;
  number: string;
  ticket_id: string;
  tier: EscalationTier;
  status: EscalationStatus;
  trigger: EscalationTrigger;
  reason: string;
  routing: RoutingDecision;
  entitlements_snapshot: Record<string, unknown>;
  actor_kind: Actor['kind'];
  actor_id: string | null;
  vendor_case_id: string | null;
  note: string | null;
  hours_used: string | null;
  last_error: string | null;
  delivery_round: number;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  closed_at: Date | null;
}

/**
 * `in_flight`: sent (or being sent), no outcome recorded yet; `finished`: its outcome is recorded;
 * `cut_short`: its worker stopped before recording the outcome, though the vendor may have got it.
 */
export type AttemptState = 'in_flight' | 'finished' | 'cut_short';

export interface AttemptRow {
  delivery_id: string;
  at: Date;
  state: AttemptState;
  delivery_round: number;
  http_status: number | null;
  error: string | null;
  duration_ms: number | null;
}

export interface EscalationAttemptView {
  deliveryId: string;
  at: string;
  state: AttemptState;
  /** 0 for the first delivery round, one more for each retry or re-enqueue. */
  round: number;
  httpStatus: number | null;
  error: string | null;
  /** null while in flight or when cut short. */
  durationMs: number | null;
}

export interface EscalationView {
  id: string;
  ticketId: string;
  tier: EscalationTier;
  status: EscalationStatus;
  trigger: EscalationTrigger;
  reason: string;
  routing: RoutingDecision;
  actor: Actor;
  vendorCaseId: string | null;
  note: string | null;
  hoursUsed: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  closedAt: string | null;
  attempts?: EscalationAttemptView[];
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function escalationView(r: EscalationRow, attempts?: AttemptRow[]): EscalationView {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    tier: r.tier,
    status: r.status,
    trigger: r.trigger,
    reason: r.reason,
    routing: r.routing,
    actor: { kind: r.actor_kind, id: r.actor_id },
    vendorCaseId: r.vendor_case_id,
    note: r.note,
    hoursUsed: r.hours_used === null ? null : Number(r.hours_used),
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    submittedAt: iso(r.submitted_at),
    closedAt: iso(r.closed_at),
    ...(attempts
      ? {
          attempts: attempts.map((a) => ({
            deliveryId: a.delivery_id,
            at: iso(a.at)!,
            state: a.state,
            round: a.delivery_round,
            httpStatus: a.http_status,
            error: a.error,
            durationMs: a.duration_ms,
          })),
        }
      : {}),
  };
}
