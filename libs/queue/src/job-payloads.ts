import { QueueName } from './queue-names';

/** Job payloads carry ids only; workers reload state from PostgreSQL. */
export interface JobPayloads {
  [QueueName.Triage]: { ticketId: string };
  [QueueName.SlaMonitor]: Record<string, never>;
  [QueueName.EscalationCommercial]: { escalationId: string };
  [QueueName.EscalationPremier]: { escalationId: string };
  [QueueName.EscalationAdvanced]: { escalationId: string };
  [QueueName.EscalationSignatureCloud]: { escalationId: string };
  [QueueName.IntakeHousekeeping]: { task: 'prune-idempotency-keys' };
  [QueueName.EscalationHousekeeping]: { task: 'reconcile-deliveries' | 'prune-delivery-history' };
}

export type JobOf<Q extends QueueName> = JobPayloads[Q];

/** The one job name used on each queue. */
export const JOB_NAME: Record<QueueName, string> = {
  [QueueName.Triage]: 'triage-ticket',
  [QueueName.SlaMonitor]: 'scan-sla',
  [QueueName.EscalationCommercial]: 'deliver-escalation',
  [QueueName.EscalationPremier]: 'deliver-escalation',
  [QueueName.EscalationAdvanced]: 'deliver-escalation',
  [QueueName.EscalationSignatureCloud]: 'deliver-escalation',
  [QueueName.IntakeHousekeeping]: 'intake-housekeeping',
  [QueueName.EscalationHousekeeping]: 'escalation-housekeeping',
};
