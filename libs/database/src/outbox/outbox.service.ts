import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JOB_NAME, JobOf, QueueName } from '@helpdesk/queue';

/** Writes queue hand-offs into the caller's transaction; the relay moves them to BullMQ. */
@Injectable()
export class OutboxService {
  async enqueue<Q extends QueueName>(manager: EntityManager, queue: Q, jobId: string, payload: JobOf<Q>): Promise<void> {
    await manager.query('INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ($1, $2, $3, $4)', [
      queue,
      JOB_NAME[queue],
      jobId,
      JSON.stringify(payload),
    ]);
  }
}
