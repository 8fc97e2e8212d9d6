import { JobsOptions } from 'bullmq';
import { QueueName } from './queue-names';

/** Named retry policies; a permanent failure throws BullMQ's UnrecoverableError instead. */
export const TRIAGE_RETRY: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
};

/** Completed jobs are kept briefly (for stats), failed ones long enough to inspect. */
export const RETENTION: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const DEFAULT_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  [QueueName.Triage]: { ...TRIAGE_RETRY, ...RETENTION },
};
