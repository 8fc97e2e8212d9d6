import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { JOB_NAME, JobOf, QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { outboxWakeChannel, OutboxWakePublisher } from './outbox-wake';

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
