import { QueueName } from './queue-names';

/** Job payloads carry ids only; workers reload state from PostgreSQL. */
export interface JobPayloads {
  [QueueName.Triage]: { ticketId: string };
}

export type JobOf<Q extends QueueName> = JobPayloads[Q];

/** The one job name used on each queue. */
export const JOB_NAME: Record<QueueName, string> = {
  [QueueName.Triage]: 'triage-ticket',
};
