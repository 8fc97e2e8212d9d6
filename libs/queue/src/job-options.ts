import { JobsOptions } from 'bullmq';
import { ESCALATION_QUEUES, QueueName } from './queue-names';

/** Named retry policies; a permanent failure throws BullMQ's UnrecoverableError instead. */
export const TRIAGE_RETRY: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
};

/**
 * A run of a job scheduler (the SLA scan, housekeeping): it runs again on its schedule, so a failed
 * run is not retried, and only the last few runs are kept.
 */
export const SCHEDULED_RUN: JobsOptions = { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };

/**
 * Escalation deliveries: attempts and backoff come from the escalation context's configuration
 * (defaults 8 attempts, 10 s base, exponential with jitter); the attempts are set on the queue
 * from ESCALATION_ATTEMPTS (jobOptionsFor), the backoff by the worker from ESCALATION_BACKOFF_MS.
 */
export const ESCALATION_RETRY: JobsOptions = {
  attempts: 8,
  backoff: { type: 'escalation' },
};

/** A dunning run applies nothing twice, so a failed one (PostgreSQL restarting) simply runs again. */
export const BILLING_DUNNING_RETRY: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 },
};

/** Notifications and customer deadlines: short retries; both are idempotent by their ids. */
export const BILLING_JOB_RETRY: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
};

/**
 * subscription.suspend / .resume webhooks: exponential with jitter from BILLING_DELIVERY_BACKOFF_MS,
 * BILLING_DELIVERY_ATTEMPTS attempts (set on the queue by jobOptionsFor).
 */
export const BILLING_PROVISIONING_RETRY: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
};

/**
 * What Redis keeps of finished jobs, per queue. PostgreSQL holds the history (tickets, events,
 * delivery attempts), so a completed job is kept only briefly, to look at in the queue board, and
 * never more than a thousand of them; failed ones a week, at most five thousand. Bounded by count,
 * Redis memory stays flat under any steady load (bench/README.md, "Redis memory").
 */
export const RETENTION: JobsOptions = {
  removeOnComplete: { age: 600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

/** Turning a stored inbound e-mail into a ticket: PostgreSQL is all it needs, so retries are quick. */
export const INBOUND_EMAIL_RETRY: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
};

/**
 * Sending a notification: the mail server may be away for a while (12 attempts span about an hour;
 * NOTIFICATION_ATTEMPTS sets the count on the queue). After the last one the mail is `failed`.
 */
export const NOTIFICATION_RETRY: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
};

export const DEFAULT_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  [QueueName.Triage]: { ...TRIAGE_RETRY, ...RETENTION },
  [QueueName.SlaMonitor]: SCHEDULED_RUN,
  [QueueName.EscalationCommercial]: { ...ESCALATION_RETRY, ...RETENTION },
  [QueueName.EscalationPremier]: { ...ESCALATION_RETRY, ...RETENTION },
  [QueueName.EscalationAdvanced]: { ...ESCALATION_RETRY, ...RETENTION },
  [QueueName.EscalationSignatureCloud]: { ...ESCALATION_RETRY, ...RETENTION },
  [QueueName.Notifications]: { ...BILLING_JOB_RETRY, ...RETENTION },
  [QueueName.BillingDunning]: { ...BILLING_DUNNING_RETRY, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
  [QueueName.BillingDeadlines]: { ...BILLING_JOB_RETRY, ...RETENTION },
  [QueueName.BillingProvisioning]: { ...BILLING_PROVISIONING_RETRY, ...RETENTION },
  [QueueName.IntakeHousekeeping]: SCHEDULED_RUN,
  [QueueName.EscalationHousekeeping]: SCHEDULED_RUN,
  [QueueName.InboundEmail]: { ...INBOUND_EMAIL_RETRY, ...RETENTION },
  [QueueName.CustomerEmail]: { ...NOTIFICATION_RETRY, ...RETENTION },
  [QueueName.ChannelsHousekeeping]: SCHEDULED_RUN,
};

const ESCALATION_QUEUE_NAMES: readonly QueueName[] = Object.values(ESCALATION_QUEUES);

/**
 * The options every job added to `name` gets: DEFAULT_JOB_OPTIONS, with the configured delivery
 * attempts for the escalation, provisioning and outgoing-mail queues (BullMQ stops retrying at a job's own attempts,
 * so a count above the default would otherwise never be reached) and the provisioning backoff.
 */
export function jobOptionsFor(
  name: QueueName,
  config: { ESCALATION_ATTEMPTS: number; BILLING_DELIVERY_ATTEMPTS: number; BILLING_DELIVERY_BACKOFF_MS: number; NOTIFICATION_ATTEMPTS?: number },
): JobsOptions {
  const options = DEFAULT_JOB_OPTIONS[name];
  if (name === QueueName.CustomerEmail && config.NOTIFICATION_ATTEMPTS) return { ...options, attempts: config.NOTIFICATION_ATTEMPTS };
  if (name === QueueName.BillingProvisioning) {
    return { ...options, attempts: config.BILLING_DELIVERY_ATTEMPTS, backoff: { type: 'exponential', delay: config.BILLING_DELIVERY_BACKOFF_MS, jitter: 0.5 } };
  }
  return ESCALATION_QUEUE_NAMES.includes(name) ? { ...options, attempts: config.ESCALATION_ATTEMPTS } : options;
}
