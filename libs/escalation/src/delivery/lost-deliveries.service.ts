import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxService, outboxRowPerRowSql, prepared, queryPrepared } from '@helpdesk/database';
import { eventPerRowSql } from '@helpdesk/intake';
import { ESCALATION_QUEUES, JOB_NAME, LiveEvents } from '@helpdesk/queue';
import { EscalationTier } from '../routing/tiers';
import { deliveryJobIdSql } from './delivery-job-id';
import { CUT_SHORT_ERROR } from './delivery-store.service';
import { EscalationFailureHooks } from './escalation-failure-hooks';

/**
 * The escalation's ticket, key-share locked before the escalation row is changed: the order every
 * writer uses (an agent's change locks the ticket, then the escalation), so these cannot deadlock.
 */
const LOCK_TICKET = `
  target AS MATERIALIZED (SELECT ticket_id FROM escalations WHERE id = $1),
  ticket AS MATERIALIZED (SELECT t.id FROM tickets t JOIN target ON t.id = target.ticket_id FOR KEY SHARE OF t)`;

/**
 * A delivery round that ended without the processor recording an outcome (BullMQ failed the job
 * itself: stalled too often, or an unexpected error on the last attempt): queued → failed with its
 * `escalation_failed` event, and the attempts left `in_flight` marked `cut_short`. Only while the
 * escalation is still queued in that round, so however many processes see the failure, it is
 * recorded once.
 */
const RECORD_ENDED = prepared(
  'escalation-delivery-record-ended',
  `
  WITH ${LOCK_TICKET},
  moved AS (
    UPDATE escalations e SET status = 'failed', last_error = $3, updated_at = now()
      FROM ticket
     WHERE e.id = $1 AND e.status = 'queued' AND e.delivery_round = $2
    RETURNING e.id, e.ticket_id, e.tier, e.delivery_round
  ),
  cut AS (
    UPDATE escalation_attempts a SET state = 'cut_short', error = $4
      FROM moved WHERE a.escalation_id = moved.id AND a.state = 'in_flight'
  ),
  counted AS (
    SELECT moved.*, (SELECT count(*)::int FROM escalation_attempts a WHERE a.escalation_id = moved.id AND a.delivery_round = moved.delivery_round) AS attempts
      FROM moved
  ),
  event AS (
    ${eventPerRowSql('counted', {
      ticketId: 'ticket_id',
      type: `'escalation_failed'`,
      actorKind: `'system'`,
      actorId: 'NULL',
      data: `jsonb_build_object('escalationId', id, 'tier', tier, 'attempts', attempts, 'error', $3::text)`,
    })}
  )
  SELECT ticket_id, tier, attempts, delivery_round FROM counted`,
);

/**
 * A queued escalation whose delivery job is gone (or finished without an outcome) starts its next
 * delivery round: the round number goes up, an `escalation_requeued` event, and the hand-off of the
 * round's job (deterministic id) to the outbox, in one statement. Conditional on the round it saw,
 * so concurrent reconcilers re-enqueue it once.
 */
const REQUEUE = prepared(
  'escalation-delivery-requeue',
  `
  WITH ${LOCK_TICKET},
  moved AS (
    UPDATE escalations e SET delivery_round = e.delivery_round + 1, updated_at = now()
      FROM ticket
     WHERE e.id = $1 AND e.status = 'queued' AND e.delivery_round = $2
    RETURNING e.id, e.ticket_id, e.tier, e.delivery_round
  ),
  event AS (
    ${eventPerRowSql('moved', {
      ticketId: 'ticket_id',
      type: `'escalation_requeued'`,
      actorKind: `'system'`,
      actorId: 'NULL',
      data: `jsonb_build_object('escalationId', id, 'tier', tier, 'round', delivery_round, 'reason', $3::text)`,
    })}
  ),
  handoff AS (
    ${outboxRowPerRowSql('moved', { queue: '$4', jobName: '$5', jobId: deliveryJobIdSql('moved'), payload: `jsonb_build_object('escalationId', id)` })}
  )
  SELECT count(*)::int AS moved FROM moved`,
);

/**
 * What happens to an escalation whose delivery job ended outside the delivery processor: failed by
 * BullMQ (recorded as a failed delivery, so that POST /escalations/:id/retry can start it again),
 * or gone from Redis (delivered again in a new round). Called by the delivery workers' `failed`
 * listener and by the reconciler.
 */
@Injectable()
export class LostDeliveriesService {
  private readonly logger = new Logger('LostDeliveries');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly live: LiveEvents,
    private readonly failures: EscalationFailureHooks,
  ) {}

  /** Records the end of round `round` as a failed delivery, unless it was recorded already; whether it was now. */
  async recordEnded(escalationId: string, round: number, reason: string): Promise<boolean> {
    const error = `the delivery ended without an outcome: ${reason}`;
    // The failure and what downstream contexts make of it (the managers' mail) commit together.
    const row = await this.dataSource.transaction(async (manager) => {
      const [ended] = await queryPrepared<{ ticket_id: string; tier: EscalationTier; attempts: number; delivery_round: number }>(manager, RECORD_ENDED, [escalationId, round, error, CUT_SHORT_ERROR]);
      if (ended) await this.failures.failed(manager, { escalationId, ticketId: ended.ticket_id, tier: ended.tier, round: ended.delivery_round, attempts: ended.attempts, error });
      return ended;
    });
    if (!row) return false;
    this.logger.warn(`escalation ${escalationId} (${row.tier}) marked failed: ${error}; POST /escalations/${escalationId}/retry delivers it again`);
    this.live.publish('escalation.failed', { escalationId, ticketId: row.ticket_id, tier: row.tier, attempts: row.attempts, error });
    return true;
  }

  /** Starts round `round + 1` of a queued escalation still in round `round`; whether it did. */
  async requeue(escalationId: string, tier: EscalationTier, round: number, reason: string): Promise<boolean> {
    const queue = ESCALATION_QUEUES[tier];
    const [{ moved }] = await queryPrepared<{ moved: number }>(this.dataSource.manager, REQUEUE, [escalationId, round, reason, queue, JOB_NAME[queue]]);
    if (moved === 0) return false;
    this.outbox.wakeRelays();
    this.logger.warn(`escalation ${escalationId} (${tier}) enqueued again: ${reason}`);
    return true;
  }
}
