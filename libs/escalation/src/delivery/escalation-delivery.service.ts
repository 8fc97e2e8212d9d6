import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { prepared, queryPrepared } from '@helpdesk/database';
import { eventPerRowSql, ticketNumberSql } from '@helpdesk/intake';
import { activeSecrets, signWebhook, WebhookClient } from '@helpdesk/webhooks';
import { EscalationStatus } from '../escalations/escalation.view';
import { EscalationTier } from '../routing/tiers';
import { DeliveryMode, TierConfig } from '../tiers/escalation-tiers.service';
import { EscalationFailureHooks } from './escalation-failure-hooks';

export type DeliveryOutcome =
  | { kind: 'skipped'; status: string }
  | { kind: 'awaiting_vendor_case' }
  | { kind: 'submitted'; vendorCaseId: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string; ticketId: string };

export interface AttemptContext {
  /** 1-based number of this attempt within the current delivery round. */
  attempt: number;
  maxAttempts: number;
}

/** An escalation as its delivery needs it: status, the tier's current settings, the body to send. */
export interface PendingDelivery {
  escalationId: string;
  ticketId: string;
  tier: EscalationTier;
  status: EscalationStatus | 'missing';
  /** The tier's settings as they are now (null: the tier is not configured). */
  settings: TierConfig | null;
  /** The exact JSON the vendor receives (UTF-8); null unless the escalation is queued for a webhook tier. */
  body: Buffer | null;
}

/** ISO 8601 in UTC with milliseconds, as Date.prototype.toISOString writes it. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Everything one delivery needs, in one statement: the escalation, the tier's settings (read on
 * every delivery, so a PUT of the tier applies to the next one), and the webhook body built by
 * PostgreSQL as JSON text (ticket with its timeline summary and diagnosis, customer, snapshot).
 */
const LOAD = prepared(
  'escalation-delivery-load',
  `
  SELECT e.id, e.ticket_id, e.status,
         s.tier AS settings_tier, s.delivery, s.webhook_url, s.secret, s.previous_secret, s.previous_secret_until, s.timeout_ms, s.max_per_minute,
         CASE WHEN e.status = 'queued' AND s.delivery = 'webhook' THEN json_build_object(
           'escalationId', e.id,
           'tier', e.tier,
           'reason', e.reason,
           'ticket', json_build_object(
             'id', t.id,
             'number', ${ticketNumberSql('t.number')},
             'subject', t.subject,
             'description', t.description,
             'category', t.category,
             'product', t.product,
             'priority', t.priority,
             'status', t.status,
             'createdAt', ${iso('t.created_at')},
             'diagnosis', t.diagnosis,
             'inScope', t.in_scope,
             'timeline', (SELECT coalesce(json_agg(json_build_object('type', ev.type, 'at', ${iso('ev.at')}, 'actor', ev.actor_kind) ORDER BY ev.seq), '[]')
                            FROM ticket_events ev WHERE ev.ticket_id = t.id)),
           'customer', json_build_object('id', c.id, 'name', c.name, 'domain', c.domain),
           'entitlementsSnapshot', e.entitlements_snapshot,
           'escalatedAt', ${iso('e.created_at')})::text END AS body
    FROM escalations e
    JOIN tickets t ON t.id = e.ticket_id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN escalation_tiers s ON s.tier = $2
   WHERE e.id = $1`,
);

/** Why an attempt row was left `in_flight`: its worker stopped between the POST and the record. */
export const CUT_SHORT_ERROR = 'cut short: the worker stopped before the answer was recorded (the vendor may have received it)';

/**
 * An attempt starts with its row (`in_flight`) before anything is sent, so that a worker killed
 * while the vendor answers still leaves the attempt in the history. A row of this escalation still
 * `in_flight` is from a delivery that was cut off that way: it becomes `cut_short`.
 */
const BEGIN_ATTEMPT = prepared(
  'escalation-delivery-begin-attempt',
  `
  WITH cut AS (
    UPDATE escalation_attempts SET state = 'cut_short', error = $4
     WHERE escalation_id = $1 AND state = 'in_flight'
  )
  INSERT INTO escalation_attempts (escalation_id, delivery_id, at, state, delivery_round)
  SELECT id, $2, $3, 'in_flight', delivery_round FROM escalations WHERE id = $1
  RETURNING id`,
);

/**
 * The outcome of one attempt in one statement (its own transaction): the attempt row finished,
 * and — only if the escalation is still queued — its new status and the timeline event. The ticket
 * is key-share locked first (the UPDATE joins the locking CTE), the order every writer uses, so an
 * agent's change of the ticket cannot deadlock with it. A stale repeat (a stalled job after a
 * crash) records its attempt but never moves the status or writes the event twice.
 */
const RECORD_MOVE = prepared(
  'escalation-delivery-record-move',
  `
  WITH ticket AS MATERIALIZED (SELECT id FROM tickets WHERE id = $2 FOR KEY SHARE),
  attempt AS (
    UPDATE escalation_attempts SET state = 'finished', http_status = $4, error = $5, duration_ms = $6 WHERE id = $3
  ),
  moved AS (
    UPDATE escalations e
       SET status = $7,
           vendor_case_id = CASE WHEN $7 = 'submitted' THEN $8 ELSE e.vendor_case_id END,
           submitted_at = CASE WHEN $7 = 'submitted' THEN now() ELSE e.submitted_at END,
           last_error = $5,
           updated_at = now()
      FROM ticket
     WHERE e.id = $1 AND e.status = 'queued'
    RETURNING e.id, e.delivery_round
  ),
  event AS (
    ${eventPerRowSql('moved', { ticketId: '$2', type: '$9', actorKind: `'system'`, actorId: 'NULL', data: '$10::jsonb' })}
  )
  SELECT count(*)::int AS moved, max(delivery_round)::int AS round FROM moved`,
);

/** A failed attempt that will be retried: the attempt row finished, and the escalation's last error. */
const RECORD_RETRY = prepared(
  'escalation-delivery-record-retry',
  `
  WITH attempt AS (
    UPDATE escalation_attempts SET state = 'finished', http_status = $3, error = $4, duration_ms = $5 WHERE id = $2
  )
  UPDATE escalations SET last_error = $4, updated_at = now() WHERE id = $1 AND status = 'queued'`,
);

interface LoadedRow {
  id: string;
  ticket_id: string;
  status: EscalationStatus;
  settings_tier: EscalationTier | null;
  delivery: DeliveryMode | null;
  webhook_url: string | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  timeout_ms: number | null;
  max_per_minute: number | null;
  body: string | null;
}

/**
 * Delivers one escalation to its tier: one read (escalation, tier settings and the body), the
 * attempt's row, the signed webhook over a kept-alive connection (or a manual case parked), one
 * write for the outcome. Status moves are conditional on `queued`, so `submitted` is never written
 * twice. Every statement is prepared (parsed and planned once per pooled connection).
 */
@Injectable()
export class EscalationDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly webhooks: WebhookClient,
    private readonly failures: EscalationFailureHooks,
  ) {}

  /** Reloads the escalation with its tier's current settings (the tier of the queue it came from). */
  async load(escalationId: string, tier: EscalationTier): Promise<PendingDelivery> {
    const [row] = await queryPrepared<LoadedRow>(this.dataSource.manager, LOAD, [escalationId, tier]);
    if (!row) return { escalationId, ticketId: '', tier, status: 'missing', settings: null, body: null };
    const settings: TierConfig | null =
      row.settings_tier === null
        ? null
        : {
            tier: row.settings_tier,
            delivery: row.delivery!,
            webhookUrl: row.webhook_url,
            signingSecrets: activeSecrets({ current: row.secret, previous: row.previous_secret, previousUntil: row.previous_secret_until }),
            timeoutMs: row.timeout_ms!,
            maxPerMinute: row.max_per_minute,
          };
    return { escalationId: row.id, ticketId: row.ticket_id, tier, status: row.status, settings, body: row.body === null ? null : Buffer.from(row.body, 'utf8') };
  }

  async deliver(pending: PendingDelivery, ctx: AttemptContext): Promise<DeliveryOutcome> {
    if (pending.status !== 'queued') return { kind: 'skipped', status: pending.status };
    const { settings } = pending;

    if (settings?.delivery === 'manual') {
      await this.record(pending, null, 'awaiting_vendor_case', null, 'escalation_awaiting_vendor_case', { escalationId: pending.escalationId, tier: pending.tier });
      return { kind: 'awaiting_vendor_case' };
    }

    const attempt = await this.beginAttempt(pending.escalationId);
    const started = Date.now();
    let vendorCaseId: string | null = null;

    if (!settings?.webhookUrl || settings.signingSecrets.length === 0 || pending.body === null) {
      attempt.error = `the ${pending.tier} tier has no webhook configured`;
    } else {
      const result = await this.webhooks.post({
        url: settings.webhookUrl,
        timeoutMs: settings.timeoutMs,
        headers: {
          'Content-Type': 'application/json',
          'X-Helpdesk-Event': 'escalation.created',
          'X-Helpdesk-Delivery': attempt.deliveryId,
          'Idempotency-Key': pending.escalationId,
          // Standard Webhooks: the escalation id is the message id (the same on every attempt).
          ...signWebhook(pending.escalationId, pending.body, settings.signingSecrets),
        },
        body: pending.body,
      });
      attempt.httpStatus = result.status;
      if (result.ok) vendorCaseId = caseIdOf(result.text);
      else attempt.error = result.error;
    }
    attempt.durationMs = Date.now() - started;

    if (attempt.error === null) {
      await this.record(pending, attempt, 'submitted', vendorCaseId, 'escalation_submitted', {
        escalationId: pending.escalationId,
        tier: pending.tier,
        vendorCaseId,
        deliveryId: attempt.deliveryId,
      });
      return { kind: 'submitted', vendorCaseId };
    }
    if (ctx.attempt < ctx.maxAttempts) {
      await queryPrepared(this.dataSource.manager, RECORD_RETRY, [pending.escalationId, attempt.id, attempt.httpStatus, attempt.error, attempt.durationMs]);
      return { kind: 'retry', error: attempt.error };
    }
    const error = attempt.error;
    // The failure and what downstream contexts make of it (the managers' mail) commit together.
    await this.dataSource.transaction(async (manager) => {
      const moved = await this.record(pending, attempt, 'failed', null, 'escalation_failed', { escalationId: pending.escalationId, tier: pending.tier, attempts: ctx.attempt, error }, manager);
      if (moved) await this.failures.failed(manager, { escalationId: pending.escalationId, ticketId: pending.ticketId, tier: pending.tier, round: moved.round, attempts: ctx.attempt, error });
    });
    return { kind: 'failed', error: attempt.error, ticketId: pending.ticketId };
  }

  /** Writes the attempt's row (`in_flight`) before anything is sent; earlier rows left open become `cut_short`. */
  private async beginAttempt(escalationId: string): Promise<Attempt> {
    const deliveryId = randomUUID();
    const [row] = await queryPrepared<{ id: string }>(this.dataSource.manager, BEGIN_ATTEMPT, [escalationId, deliveryId, new Date(), CUT_SHORT_ERROR]);
    if (!row) throw new Error(`escalation ${escalationId} no longer exists`);
    return { id: row.id, deliveryId, httpStatus: null, error: null, durationMs: 0 };
  }

  /** The attempt (if any) and queued → `to` with its timeline event, in one statement; the delivery round when it moved, else null. */
  private async record(
    pending: PendingDelivery,
    attempt: Attempt | null,
    to: EscalationStatus,
    vendorCaseId: string | null,
    eventType: string,
    eventData: Record<string, unknown>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ round: number } | null> {
    const [{ moved, round }] = await queryPrepared<{ moved: number; round: number | null }>(manager, RECORD_MOVE, [
      pending.escalationId,
      pending.ticketId,
      attempt?.id ?? null,
      attempt?.httpStatus ?? null,
      attempt?.error ?? null,
      attempt?.durationMs ?? null,
      to,
      vendorCaseId,
      eventType,
      JSON.stringify(eventData),
    ]);
    return moved === 1 ? { round: round ?? 0 } : null;
  }
}

interface Attempt {
  /** The attempt row (bigint). */
  id: string;
  deliveryId: string;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

function caseIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { caseId?: unknown };
    if (typeof parsed?.caseId === 'string' && parsed.caseId.length > 0) return parsed.caseId.slice(0, 200);
    if (typeof parsed?.caseId === 'number') return String(parsed.caseId);
  } catch {
    // a 2xx without JSON is still accepted
  }
  return null;
}
