import { QueueName } from './queue-names';

/** Job payloads carry ids only; workers reload state from PostgreSQL. */
export interface JobPayloads {
  [QueueName.Triage]: TriageJob;
  [QueueName.SlaMonitor]: Record<string, never>;
  [QueueName.EscalationCommercial]: { escalationId: string };
  [QueueName.EscalationPremier]: { escalationId: string };
  [QueueName.EscalationAdvanced]: { escalationId: string };
  [QueueName.EscalationSignatureCloud]: { escalationId: string };
  [QueueName.Notifications]: NotificationJob;
  /** The daily schedule's jobs carry no run id: the run is recorded when it starts. */
  [QueueName.BillingDunning]: { runId?: string };
  [QueueName.BillingDeadlines]: { customerId: string };
  [QueueName.BillingProvisioning]: { actionId: string };
  [QueueName.IntakeHousekeeping]: { task: 'prune-idempotency-keys' };
  [QueueName.EscalationHousekeeping]: { task: 'reconcile-deliveries' | 'prune-delivery-history' };
  [QueueName.InboundEmail]: { inboundMessageId: string };
  [QueueName.CustomerEmail]: CustomerEmailJob;
  [QueueName.ChannelsHousekeeping]: { task: 'mail-auto-assignments' };
}

/**
 * What to notify; the consumer reloads each by id and renders it in the customer's locale. Billing
 * hands over the notices of one dunning batch together (up to 1,000 ids): a nightly run makes tens
 * of thousands, which one outbox row each would queue ahead of every other hand-off.
 */
export type NotificationJob = { kind: 'billing_notices'; noticeIds: string[] };

/**
 * Tickets to triage: one (filed through the API, the portal, a webhook), or the tickets one arrival
 * batch of mail filed together (a retry triages again only what is still `new`).
 */
export type TriageJob = { ticketId: string } | { ticketIds: string[] };

/**
 * Stored e-mails to send: one (a reply, a status notice, a resend), or the acknowledgements of the
 * tickets one arrival batch of mail made, together (one job for the batch; a retry sends only those
 * not yet `sent`).
 */
export type CustomerEmailJob = { outboundMessageId: string } | { outboundMessageIds: string[] };

export type JobOf<Q extends QueueName> = JobPayloads[Q];

/** The one job name used on each queue. */
export const JOB_NAME: Record<QueueName, string> = {
  [QueueName.Triage]: 'triage-ticket',
  [QueueName.SlaMonitor]: 'scan-sla',
  [QueueName.EscalationCommercial]: 'deliver-escalation',
  [QueueName.EscalationPremier]: 'deliver-escalation',
  [QueueName.EscalationAdvanced]: 'deliver-escalation',
  [QueueName.EscalationSignatureCloud]: 'deliver-escalation',
  [QueueName.Notifications]: 'send-notification',
  [QueueName.BillingDunning]: 'run-dunning',
  [QueueName.BillingDeadlines]: 'customer-dunning',
  [QueueName.BillingProvisioning]: 'deliver-provisioning',
  [QueueName.IntakeHousekeeping]: 'intake-housekeeping',
  [QueueName.EscalationHousekeeping]: 'escalation-housekeeping',
  [QueueName.InboundEmail]: 'process-inbound-email',
  [QueueName.CustomerEmail]: 'send-customer-email',
  [QueueName.ChannelsHousekeeping]: 'channels-housekeeping',
};
