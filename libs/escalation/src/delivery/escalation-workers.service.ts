import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConnectionOptions, DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '@helpdesk/config';
import { ESCALATION_QUEUES, JobOf, LiveEvents, QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { ALL_TIERS, EscalationTier } from '../routing/tiers';
import { TierConfig } from '../tiers/escalation-tiers.service';
import { backoffDelay } from './backoff';
import { isDatabaseUnavailable } from './database-unavailable';
import { deliveryRoundOf } from './delivery-job-id';
import { EscalationDeliveryService } from './escalation-delivery.service';
import { LostDeliveriesService } from './lost-deliveries.service';

/** The custom backoff named by ESCALATION_RETRY (`backoff: {type: 'escalation'}`). */
export const ESCALATION_BACKOFF_TYPE = 'escalation';

/** The longest a delivery waits before looking again for an unreachable PostgreSQL (jittered 50–100 %). */
export const DATABASE_UNAVAILABLE_RETRY_MS = 5_000;

/**
 * One BullMQ worker per tier queue. Thin: reload the escalation with its tier's current settings,
 * apply the tier's per-minute limit, deliver; a failure is thrown so BullMQ retries it with the
 * escalation backoff.
 * Workers close on shutdown (in-flight deliveries finish; a killed one is retried as stalled).
 */
@Injectable()
export class EscalationWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EscalationWorkers');
  private readonly workers = new Map<EscalationTier, Worker>();
  private counters?: Redis;
  private databaseDown = false;

  constructor(
    private readonly config: AppConfig,
    private readonly delivery: EscalationDeliveryService,
    private readonly live: LiveEvents,
    private readonly lost: LostDeliveriesService,
  ) {}

  onApplicationBootstrap(): void {
    this.counters = new Redis(redisOptionsFromUrl(this.config.REDIS_URL));
    this.counters.on('error', (error) => this.logger.warn(`escalation rate counters: ${error.message}`));
    for (const tier of ALL_TIERS) {
      const worker = new Worker(ESCALATION_QUEUES[tier], (job: Job<JobOf<QueueName.EscalationCommercial>>, token?: string) => this.process(tier, job, token), {
        connection: redisOptionsFromUrl(this.config.REDIS_URL) as ConnectionOptions,
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.config.ESCALATION_CONCURRENCY,
        lockDuration: this.config.ESCALATION_LOCK_MS,
        metrics: { maxDataPoints: 1440 },
        stalledInterval: this.config.ESCALATION_LOCK_MS,
        settings: {
          backoffStrategy: (attemptsMade: number, type?: string) =>
            type === ESCALATION_BACKOFF_TYPE ? backoffDelay(Math.max(1, attemptsMade), this.config.ESCALATION_BACKOFF_MS) : 0,
        },
      });
      worker.on('error', (error) => this.logger.warn(`escalation worker ${tier}: ${error.message}`));
      worker.on('failed', (job, error) => this.ended(job, error));
      this.workers.set(tier, worker);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.counters?.disconnect();
  }

  /**
   * A job BullMQ failed for good (`finishedOn` set; a failure it retries is not): if the processor
   * did not record the outcome — the job stalled too often (its workers were killed mid-delivery),
   * or an unexpected error ended its last attempt — the escalation is marked failed now, so that
   * the API can retry it. A recorded outcome is left alone. If this is missed (the process dies
   * first, PostgreSQL is away), the reconciler finds the failed job later.
   */
  private ended(job: Job<{ escalationId: string }> | undefined, error: Error): void {
    if (!job?.finishedOn) return;
    const round = deliveryRoundOf(job.id, job.data.escalationId);
    if (round === null) return;
    this.lost
      .recordEnded(job.data.escalationId, round, error.message)
      .catch((e: unknown) => this.logger.warn(`escalation ${job.data.escalationId}: the end of its delivery is not recorded yet (the reconciler will): ${e instanceof Error ? e.message : String(e)}`));
  }

  /**
   * PostgreSQL unreachable (restarting, down) is not a failed delivery: the job waits and tries
   * again without using one of its attempts, for as long as the outage lasts. The vendor may then
   * see a repeat (same Idempotency-Key); the status still moves once.
   */
  private async process(tier: EscalationTier, job: Job<{ escalationId: string }>, token?: string): Promise<string> {
    try {
      const outcome = await this.deliver(tier, job, token);
      this.databaseDown = false;
      return outcome;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (!this.databaseDown) this.logger.warn(`escalation deliveries wait for PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
      this.databaseDown = true;
      const delay = backoffDelay(1, Math.min(this.config.ESCALATION_BACKOFF_MS, DATABASE_UNAVAILABLE_RETRY_MS));
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
  }

  private async deliver(tier: EscalationTier, job: Job<{ escalationId: string }>, token?: string): Promise<string> {
    const pending = await this.delivery.loadAndBegin(job.data.escalationId, tier);
    if (pending.status !== 'queued') return 'skipped';
    await this.throttle(tier, job, token, pending.settings);
    // BullMQ stops at the job's own attempts; the configured count may lower it.
    const maxAttempts = Math.max(1, Math.min(this.config.ESCALATION_ATTEMPTS, job.opts.attempts ?? 1));
    const outcome = await this.delivery.deliver(pending, { attempt: job.attemptsMade + 1, maxAttempts });
    if (outcome.kind === 'retry') throw new Error(outcome.error);
    if (outcome.kind === 'failed') {
      // Committed by now: tell the managers' streams.
      this.live.publish('escalation.failed', { escalationId: job.data.escalationId, ticketId: outcome.ticketId, tier, attempts: job.attemptsMade + 1, error: outcome.error });
      throw new UnrecoverableError(outcome.error);
    }
    return outcome.kind;
  }

  /**
   * A fixed one-minute window per tier, shared by every worker process through Redis. A job over
   * the limit waits (delayed, no attempt used) until the next window.
   */
  private async throttle(tier: EscalationTier, job: Job, token: string | undefined, settings: TierConfig | null): Promise<void> {
    const limit = settings?.maxPerMinute;
    if (!limit) return;
    const now = Date.now();
    const window = Math.floor(now / 60_000);
    const key = `${this.config.QUEUE_PREFIX}:escalation-rate:${tier}:${window}`;
    const [[, count]] = (await this.counters!.multi().incr(key).pexpire(key, 120_000).exec()) as [[Error | null, number], unknown];
    if (count > limit) {
      await job.moveToDelayed((window + 1) * 60_000 + Math.floor(Math.random() * 1000), token);
      throw new DelayedError();
    }
  }
}
