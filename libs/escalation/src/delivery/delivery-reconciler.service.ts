import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { outboxHoldsJobSql, whileHoldingAdvisoryLock } from '@helpdesk/database';
import { ESCALATION_QUEUES } from '@helpdesk/queue';
import { EscalationTier } from '../routing/tiers';
import { deliveryJobId, deliveryJobIdSql } from './delivery-job-id';
import { LostDeliveriesService } from './lost-deliveries.service';

const RECONCILE_LOCK_KEY = 7_202_611_280;
const PAGE = 500;

/**
 * Queued escalations, oldest first from `$1` (a number), unchanged for `$2` ms, whose delivery job
 * is not waiting in the outbox. Read before Redis is asked: the relay adds a job before it commits
 * the removal of its outbox row, so an escalation found here without an outbox row has its job in
 * Redis, unless that job is lost.
 */
const CANDIDATES = `
  SELECT e.id, e.number, e.tier, e.delivery_round
    FROM escalations e
   WHERE e.status = 'queued' AND e.number > $1
     AND e.updated_at < now() - $2 * interval '1 millisecond'
     AND NOT ${outboxHoldsJobSql(deliveryJobIdSql('e'))}
   ORDER BY e.number
   LIMIT ${PAGE}`;

interface Candidate {
  id: string;
  number: string;
  tier: EscalationTier;
  delivery_round: number;
}

export interface ReconcileResult {
  skipped: boolean;
  /** Queued escalations whose job was looked up in Redis. */
  looked: number;
  /** Enqueued again: their job was gone (or had completed without an outcome). */
  requeued: number;
  /** Marked failed: BullMQ had failed their job without the failure being recorded. */
  failed: number;
}

/**
 * Finds queued escalations whose delivery job no longer runs — removed (from the queue board, or by
 * retention), lost with Redis data, or failed by BullMQ while no worker recorded it — and leaves
 * each in a state the API acts on: a lost job is enqueued again (next round, once), a failed one is
 * recorded as a failed delivery (the API's retry starts it again). One run at a time across workers.
 */
@Injectable()
export class DeliveryReconciler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    private readonly lost: LostDeliveriesService,
  ) {}

  async reconcile(): Promise<ReconcileResult> {
    const run = await whileHoldingAdvisoryLock(this.dataSource, RECONCILE_LOCK_KEY, async () => {
      const result: ReconcileResult = { skipped: false, looked: 0, requeued: 0, failed: 0 };
      let after = '0';
      for (;;) {
        const page: Candidate[] = await this.dataSource.query(CANDIDATES, [after, this.config.ESCALATION_RECONCILE_MS]);
        await Promise.all(page.map((c) => this.settle(c, result)));
        if (page.length < PAGE) return result;
        after = page[page.length - 1].number;
      }
    });
    return run.ran ? run.result : { skipped: true, looked: 0, requeued: 0, failed: 0 };
  }

  private async settle(c: Candidate, result: ReconcileResult): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(ESCALATION_QUEUES[c.tier]), { strict: false });
    const jobId = deliveryJobId(c.id, c.delivery_round);
    const { state, job } = await finishedStateOf(queue, jobId);
    result.looked++;
    if (state === 'failed') {
      if (await this.lost.recordEnded(c.id, c.delivery_round, job?.failedReason || 'the delivery job failed')) result.failed++;
    } else if (state === 'unknown' || state === 'completed') {
      const reason = state === 'unknown' ? 'its delivery job was gone from Redis' : 'its delivery job had completed without an outcome';
      if (await this.lost.requeue(c.id, c.tier, c.delivery_round, reason)) result.requeued++;
    }
  }
}

/**
 * Whether a delivery job has ended, and how: `unknown` (its hash is gone: removed, pruned or lost
 * with Redis data), `completed` or `failed` (BullMQ set `finishedOn`; which one, from its finished
 * sets), or `pending` (waiting, delayed or active). Not `queue.getJobState`: for a job still to run
 * it looks for the id in the active and wait lists (LPOS, a scan of each list), so during a backlog
 * a reconcile run scanned a list of thousands for every one of its thousands of candidates
 * (bench/README.md, branch r14-escalation). Nor the whole job first: during a backlog nearly every
 * candidate is pending, and reading its hash (HGETALL: data, options, every field) and building a
 * Job of it, for thousands of them a minute, was work the deliveries waited for (branch
 * r16-escalation). Two fields first (HMGET: every job's `timestamp`, and `finishedOn`), so that a job
 * still to run costs one small reply; the whole job and its set (ZSCORE) only for the rest.
 */
async function finishedStateOf(queue: Queue, jobId: string): Promise<{ state: 'unknown' | 'completed' | 'failed' | 'pending'; job?: Job }> {
  const client = await queue.backend.client;
  const [createdAt, finishedOn] = await client.hmget(queue.toKey(jobId), 'timestamp', 'finishedOn');
  if (createdAt !== null && !finishedOn) return { state: 'pending' };
  const job = await queue.getJob(jobId);
  if (!job) return { state: 'unknown' };
  const state = await job.getState();
  // A finished job is in its finished set; gone from it meanwhile (retention), it is gone.
  return { state: state === 'completed' || state === 'failed' ? state : state === 'unknown' ? 'unknown' : 'pending', job };
}
