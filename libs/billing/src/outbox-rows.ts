import { EntityManager } from 'typeorm';
import { outboxRowPerRowSql } from '@helpdesk/database';
import { JOB_NAME, JobOf, QueueName } from '@helpdesk/queue';

const ENQUEUE_MANY = outboxRowPerRowSql('jsonb_to_recordset($3::jsonb) AS j(job_id text, payload jsonb)', { queue: '$1', jobName: '$2', jobId: 'j.job_id', payload: 'j.payload' });

/**
 * Many queue hand-offs in one statement, inside the caller's transaction (the outbox relay moves
 * them to BullMQ with `jobId` as the job id, so a repeat adds nothing).
 */
export async function enqueueMany<Q extends QueueName>(manager: EntityManager, queue: Q, jobs: ReadonlyArray<{ jobId: string; payload: JobOf<Q> }>): Promise<void> {
  if (jobs.length === 0) return;
  await manager.query(ENQUEUE_MANY, [queue, JOB_NAME[queue], JSON.stringify(jobs.map((j) => ({ job_id: j.jobId, payload: j.payload })))]);
}
