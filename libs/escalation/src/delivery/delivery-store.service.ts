import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { prepared, queryPrepared } from '@helpdesk/database';
import { isUuid } from '@helpdesk/http';
import { eventPerRowSql, ticketNumberSql } from '@helpdesk/intake';
import { BatchEntry, MicroBatcher } from '@helpdesk/queue';
import { activeSecrets } from '@helpdesk/webhooks';
import { EscalationStatus } from '../escalations/escalation.view';
import { EscalationTier } from '../routing/tiers';
import { DeliveryMode, TierConfig } from '../tiers/escalation-tiers.service';

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
  /** The attempt begun (committed `in_flight`) with the read; null when none was (see LOAD_AND_BEGIN). */
  attempt: BegunAttempt | null;
}

/** An attempt that has begun: its row committed `in_flight`, nothing sent yet. */
export interface BegunAttempt {
  /** The attempt row (bigint). */
  id: string;
  /** What the vendor sees as X-Helpdesk-Delivery. */
  deliveryId: string;
}

/** Why an attempt row was left `in_flight`: its worker stopped between the POST and the record. */
export const CUT_SHORT_ERROR = 'cut short: the worker stopped before the answer was recorded (the vendor may have received it)';

/** An attempt's row, written `in_flight` before anything is sent. */
export interface BeginAttempt {
  kind: 'begin';
  escalationId: string;
  /** What the vendor sees as X-Helpdesk-Delivery. */
  deliveryId: string;
  at: Date;
}

/** How an attempt ended (null: the outcome needed none, e.g. a manual tier). */
export interface FinishedAttempt {
  /** The attempt row (bigint). */
  id: string;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * The outcome of a delivery: its attempt finished and, with `move`, queued → `move.to` with the
 * timeline event; without, only the escalation's last error (a failure that will be retried).
 */
export interface FinishDelivery {
  kind: 'finish';
  escalationId: string;
  ticketId: string;
  attempt: FinishedAttempt | null;
  move: { to: EscalationStatus; vendorCaseId: string | null; eventType: string; eventData: Record<string, unknown> } | null;
}

export type DeliveryWrite = BeginAttempt | FinishDelivery;

/** What a write did: the attempt row a begin wrote; whether a finish moved the status (and in which round). */
export interface DeliveryWritten {
  attemptId: string | null;
  moved: { round: number } | null;
}

/**
 * Most deliveries in one read or one write, and reads (writes) under way at once per process. One
 * at a time: the deliveries that arrive while a read (write) runs leave together in the next one, so
 * a backlog is read and recorded in batches of ≈ 55 rather than ≈ 37 (two at a time): a third fewer
 * statements, commits and plans per delivery (bench/README.md, branch r13-escratio). The next batch
 * waits for at most one statement, a few milliseconds, and none when the worker is idle.
 */
export const DELIVERY_BATCH = { maxBatchSize: 128, maxConcurrentBatches: 1 };

/** ISO 8601 in UTC with milliseconds, as Date.prototype.toISOString writes it. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Everything the deliveries of a batch need, in one statement: each escalation, the settings of
 * the tier whose queue its job came from (read on every delivery, so a PUT of the tier applies to
 * the next one), and the webhook body built by PostgreSQL as JSON text (ticket with its timeline
 * summary and diagnosis, customer, snapshot). $1 escalation ids, $2 their tiers, in job order
 * (one escalation at most once per statement), $3 CUT_SHORT_ERROR.
 *
 * A queued escalation that is sent right away (a webhook tier, or no settings: the attempt then
 * records that) begins its attempt in the same statement — its row `in_flight`, committed before
 * anything is sent, as WRITE's begins do (a row still `in_flight` becomes `cut_short`) — so a
 * delivery costs one round trip and one commit less. Not for a manual tier (no attempt) nor a
 * rate-limited one: its limit is checked first, and a delivery over the limit waits without an
 * attempt (it begins with WRITE once let through).
 */
const LOAD_AND_BEGIN = prepared(
  'escalation-delivery-load-begin',
  `
  WITH r AS MATERIALIZED (
    SELECT j.ord::int AS ord, e.id, e.ticket_id, e.status, e.tier, e.reason, e.entitlements_snapshot, e.created_at, e.delivery_round,
           s.tier AS settings_tier, s.delivery, s.webhook_url, s.secret, s.previous_secret, s.previous_secret_until, s.timeout_ms, s.max_per_minute
      FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS j(id, tier, ord)
      JOIN escalations e ON e.id = j.id
      LEFT JOIN escalation_tiers s ON s.tier = j.tier
  ),
  sent AS MATERIALIZED (
    SELECT id, delivery_round FROM r
     WHERE status = 'queued' AND delivery IS DISTINCT FROM 'manual' AND max_per_minute IS NULL
  ),
  cut AS (
    UPDATE escalation_attempts a SET state = 'cut_short', error = $3
     WHERE a.escalation_id = ANY (ARRAY(SELECT id FROM sent)) AND a.state = 'in_flight'
  ),
  begun AS (
    INSERT INTO escalation_attempts (escalation_id, delivery_id, at, state, delivery_round)
    SELECT id, gen_random_uuid(), now(), 'in_flight', delivery_round FROM sent
    RETURNING id, escalation_id, delivery_id
  )
  SELECT r.ord, r.id, r.ticket_id, r.status,
         r.settings_tier, r.delivery, r.webhook_url, r.secret, r.previous_secret, r.previous_secret_until, r.timeout_ms, r.max_per_minute,
         begun.id::text AS attempt_id, begun.delivery_id::text AS delivery_id,
         CASE WHEN r.status = 'queued' AND r.delivery = 'webhook' THEN json_build_object(
           'escalationId', r.id,
           'tier', r.tier,
           'reason', r.reason,
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
           'entitlementsSnapshot', r.entitlements_snapshot,
           'escalatedAt', ${iso('r.created_at')})::text END AS body
    FROM r
    JOIN tickets t ON t.id = r.ticket_id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN begun ON begun.escalation_id = r.id`,
);

/**
 * The durable writes of the deliveries of a batch in one statement, so one transaction and one
 * commit (fsync) for all of them; one delivery (escalation) at most once per statement. $1 the
 * writes as a jsonb array (`ord` = position), $2 CUT_SHORT_ERROR.
 *
 * Begins: an attempt starts with its row (`in_flight`) before anything is sent, so that a worker
 * killed while the vendor answers still leaves the attempt in the history; a row of this
 * escalation still `in_flight` is from a delivery cut off that way and becomes `cut_short`.
 *
 * Finishes: the attempt row finished, and — only if the escalation is still queued — its last
 * error and, for a move, its new status and the timeline event (in the writes' order). The tickets
 * are key-share locked first, in id order (the UPDATE joins the locking CTE): the order every
 * writer uses, so an agent's change of a ticket cannot deadlock with it. A stale repeat (a stalled
 * job after a crash) records its attempt but never moves the status or writes the event twice.
 */
const WRITE = prepared(
  'escalation-delivery-write',
  `
  WITH op AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS o(
      ord int, kind text, escalation_id uuid, ticket_id uuid, delivery_id uuid, at timestamptz,
      attempt_id bigint, http_status int, error text, duration_ms int,
      to_status text, vendor_case_id text, event_type text, event_data jsonb)
  ),
  ticket AS MATERIALIZED (
    SELECT t.id FROM tickets t
     WHERE t.id = ANY (ARRAY(SELECT ticket_id FROM op WHERE kind = 'finish'))
     ORDER BY t.id
       FOR KEY SHARE OF t
  ),
  cut AS (
    UPDATE escalation_attempts a SET state = 'cut_short', error = $2
     WHERE a.escalation_id = ANY (ARRAY(SELECT escalation_id FROM op WHERE kind = 'begin')) AND a.state = 'in_flight'
  ),
  begun AS (
    INSERT INTO escalation_attempts (escalation_id, delivery_id, at, state, delivery_round)
    SELECT e.id, op.delivery_id, op.at, 'in_flight', e.delivery_round
      FROM op JOIN escalations e ON e.id = op.escalation_id
     WHERE op.kind = 'begin'
    RETURNING id, escalation_id
  ),
  finished AS (
    UPDATE escalation_attempts a SET state = 'finished', http_status = op.http_status, error = op.error, duration_ms = op.duration_ms
      FROM op
     WHERE op.kind = 'finish' AND a.id = op.attempt_id
  ),
  changed AS (
    UPDATE escalations e
       SET status = coalesce(op.to_status, e.status),
           vendor_case_id = CASE WHEN op.to_status = 'submitted' THEN op.vendor_case_id ELSE e.vendor_case_id END,
           submitted_at = CASE WHEN op.to_status = 'submitted' THEN now() ELSE e.submitted_at END,
           last_error = op.error,
           updated_at = now()
      FROM op JOIN ticket ON ticket.id = op.ticket_id
     WHERE op.kind = 'finish' AND e.id = op.escalation_id
       -- Not "status = 'queued'": the planner would take that to the status index, whose
       -- statistics can say "few queued" during a backlog of thousands; found by id instead.
       AND e.status IS NOT DISTINCT FROM 'queued'
    RETURNING e.ticket_id, e.delivery_round, op.ord, op.to_status, op.event_type, op.event_data
  ),
  event AS (
    ${eventPerRowSql('changed', { ticketId: 'ticket_id', type: 'event_type', actorKind: `'system'`, actorId: 'NULL', data: 'event_data' }, 'WHERE to_status IS NOT NULL ORDER BY ord')}
  )
  SELECT op.ord, begun.id::text AS attempt_id, changed.to_status IS NOT NULL AS moved, changed.delivery_round AS round
    FROM op
    LEFT JOIN begun ON op.kind = 'begin' AND begun.escalation_id = op.escalation_id
    LEFT JOIN changed ON changed.ord = op.ord
   ORDER BY op.ord`,
);

interface LoadedRow {
  ord: number;
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
  attempt_id: string | null;
  delivery_id: string | null;
  body: string | null;
}

interface WrittenRow {
  ord: number;
  attempt_id: string | null;
  moved: boolean;
  round: number | null;
}

interface LoadRequest {
  escalationId: string;
  tier: EscalationTier;
}

/**
 * What escalation deliveries read and write in PostgreSQL, batched with the other deliveries this
 * process has in flight (MicroBatcher: what the jobs ask for in one event-loop turn, or while the
 * batches before are busy, goes together): one statement reads their escalations and begins the
 * attempts of those sent right away, one write statement — one transaction, one commit — records
 * the outcomes (and the attempts begun later, after a rate limit). A caller's promise settles once its batch has committed, so a job never completes on
 * an outcome that is not durable; a batch that fails is run again one delivery at a time, so only
 * the delivery that breaks it fails (and BullMQ retries only that one's job).
 */
@Injectable()
export class DeliveryStore {
  private readonly reads = new MicroBatcher<LoadRequest, PendingDelivery>((batch) => this.loadBatch(batch), DELIVERY_BATCH);
  private readonly writes = new MicroBatcher<DeliveryWrite, DeliveryWritten>((batch) => this.writeBatch(batch), DELIVERY_BATCH);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Reloads the escalation with its tier's current settings (the tier of the queue it came from)
   * and, when it is to be sent right away, begins its attempt (`attempt`); settles once committed.
   */
  loadAndBegin(escalationId: string, tier: EscalationTier): Promise<PendingDelivery> {
    // Checked here: one malformed id must not break the batch's read for the others.
    if (!isUuid(escalationId)) return Promise.reject(new Error(`not an escalation id: ${JSON.stringify(escalationId)}`));
    return this.reads.add({ escalationId, tier });
  }

  /** Writes one delivery's attempt row or outcome with the batch in flight; settles once committed. */
  write(write: DeliveryWrite): Promise<DeliveryWritten> {
    return this.writes.add(write);
  }

  /** Writes inside the caller's transaction (committed with what else it writes), not batched. */
  async writeIn(manager: EntityManager, write: DeliveryWrite): Promise<DeliveryWritten> {
    const [row] = await queryPrepared<WrittenRow>(manager, WRITE, [JSON.stringify([writeParams(write, 0)]), CUT_SHORT_ERROR]);
    return written(write, row);
  }

  private async loadBatch(batch: Array<BatchEntry<LoadRequest, PendingDelivery>>): Promise<void> {
    const { now, later } = oncePerEscalation(batch);
    const rows = await queryPrepared<LoadedRow>(this.dataSource.manager, LOAD_AND_BEGIN, [now.map((e) => e.item.escalationId), now.map((e) => e.item.tier), CUT_SHORT_ERROR]);
    const byOrd = new Map(rows.map((r) => [r.ord, r]));
    now.forEach((entry, i) => {
      const { escalationId, tier } = entry.item;
      const row = byOrd.get(i + 1);
      entry.resolve(row ? pendingOf(row, tier) : { escalationId, ticketId: '', tier, status: 'missing', settings: null, body: null, attempt: null });
    });
    for (const entry of later) entry.resolve(this.reads.add(entry.item));
  }

  private async writeBatch(batch: Array<BatchEntry<DeliveryWrite, DeliveryWritten>>): Promise<void> {
    const { now, later } = oncePerEscalation(batch);
    const payload = JSON.stringify(now.map((e, ord) => writeParams(e.item, ord)));
    const rows = await queryPrepared<WrittenRow>(this.dataSource.manager, WRITE, [payload, CUT_SHORT_ERROR]);
    now.forEach((entry, ord) => {
      try {
        entry.resolve(written(entry.item, rows[ord]?.ord === ord ? rows[ord] : undefined));
      } catch (error) {
        entry.reject(error);
      }
    });
    for (const entry of later) entry.resolve(this.writes.add(entry.item));
  }
}

/**
 * One read or write per escalation per statement (a row is changed once per statement, and a
 * second begin must see the first's row): a second one (two jobs of the same escalation at once)
 * goes after this batch has committed.
 */
function oncePerEscalation<E extends { item: { escalationId: string } }>(batch: E[]): { now: E[]; later: E[] } {
  const seen = new Set<string>();
  const now: E[] = [];
  const later: E[] = [];
  for (const entry of batch) {
    (seen.has(entry.item.escalationId) ? later : now).push(entry);
    seen.add(entry.item.escalationId);
  }
  return { now, later };
}

function pendingOf(row: LoadedRow, tier: EscalationTier): PendingDelivery {
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
  const attempt = row.attempt_id === null ? null : { id: row.attempt_id, deliveryId: row.delivery_id! };
  return { escalationId: row.id, ticketId: row.ticket_id, tier, status: row.status, settings, body: row.body === null ? null : Buffer.from(row.body, 'utf8'), attempt };
}

/** One element of WRITE's jsonb array. */
function writeParams(write: DeliveryWrite, ord: number): Record<string, unknown> {
  if (write.kind === 'begin') return { ord, kind: 'begin', escalation_id: write.escalationId, delivery_id: write.deliveryId, at: write.at.toISOString() };
  const { attempt, move } = write;
  return {
    ord,
    kind: 'finish',
    escalation_id: write.escalationId,
    ticket_id: write.ticketId,
    attempt_id: attempt?.id ?? null,
    http_status: attempt?.httpStatus ?? null,
    error: attempt?.error ?? null,
    duration_ms: attempt?.durationMs ?? null,
    to_status: move?.to ?? null,
    vendor_case_id: move?.vendorCaseId ?? null,
    event_type: move?.eventType ?? null,
    event_data: move?.eventData ?? null,
  };
}

function written(write: DeliveryWrite, row: WrittenRow | undefined): DeliveryWritten {
  if (!row) throw new Error(`the delivery write of escalation ${write.escalationId} answered out of order`);
  if (write.kind === 'begin') {
    if (row.attempt_id === null) throw new Error(`escalation ${write.escalationId} no longer exists`);
    return { attemptId: row.attempt_id, moved: null };
  }
  return { attemptId: null, moved: row.moved ? { round: row.round ?? 0 } : null };
}
