import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { JOB_NAME, JobOf, QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { outboxWakeChannel, OutboxWakePublisher } from './outbox-wake';

/**
 * The hand-off of each row of `from` (a CTE of the caller's statement) to a queue, as one outbox row
 * each: for a statement that writes a business change and its hand-off together. SQL expressions
 * (or parameters) for the queue, the job name, the job id (the business id) and the payload.
 */
export function outboxRowPerRowSql(from: string, h: { queue: string; jobName: string; jobId: string; payload: string }, tail = ''): string {
  return `INSERT INTO outbox (queue, job_name, job_id, payload)
    SELECT ${h.queue}, ${h.jobName}, ${h.jobId}, ${h.payload} FROM ${from}${tail ? ` ${tail}` : ''}`;
}

/**
 * Whether a hand-off of the job `jobId` (an SQL expression) still waits in the outbox, not yet
 * moved to BullMQ: a condition for a statement that looks for jobs missing from Redis. A row the
 * relay has taken but not yet committed still counts (its job is being added).
 */
export function outboxHoldsJobSql(jobId: string): string {
  return `EXISTS (SELECT 1 FROM outbox WHERE job_id = ${jobId})`;
}

/** Writes queue hand-offs into the caller's transaction; the relay moves them to BullMQ. */
@Injectable()
export class OutboxService implements OnModuleDestroy {
  private readonly logger = new Logger('Outbox');
  private readonly wakeUps: OutboxWakePublisher;

  constructor(config: AppConfig) {
    this.wakeUps = new OutboxWakePublisher(redisOptionsFromUrl(config.REDIS_URL), outboxWakeChannel(config.QUEUE_PREFIX), (m) => this.logger.warn(m));
  }

  async enqueue<Q extends QueueName>(manager: EntityManager, queue: Q, jobId: string, payload: JobOf<Q>): Promise<void> {
    await manager.query('INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ($1, $2, $3, $4)', [
      queue,
      JOB_NAME[queue],
      jobId,
      JSON.stringify(payload),
    ]);
  }

  /**
   * Tells the relays that outbox rows were committed, so that they move them now rather than at
   * their next poll (≤ 100 ms later). Call it after the commit; fire and forget, never throws, and
   * nothing is lost if the wake-up is (the poll still moves the rows).
   */
  wakeRelays(): void {
    this.wakeUps.wake();
  }

  async onModuleDestroy(): Promise<void> {
    await this.wakeUps.close();
  }
}
