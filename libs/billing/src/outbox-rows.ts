import { EntityManager } from 'typeorm';
import { JOB_NAME, JobOf, QueueName } from '@helpdesk/queue';

/**
 * Many queue hand-offs in one statement, inside the caller's transaction (the outbox relay moves
 * them to BullMQ with `jobId` as the job id, so a repeat adds nothing).
 */
export async function enqueueMany<Q extends QueueName>(manager: EntityManager, queue: Q, jobs: ReadonlyArray<{ jobId: string; payload: JobOf<Q> }>): Promise<void> {
  if (jobs.length === 0) return;
  await manager.query(
    `INSERT INTO outbox (queue, job_name, job_id, payload)
     SELECT $1, $2, j.job_id, j.payload FROM jsonb_to_recordset($3::jsonb) AS j(job_id text, payload jsonb)`,
    [queue, JOB_NAME[queue], JSON.stringify(jobs.map((j) => ({ job_id: j.jobId, payload: j.payload })))],
  );
}
