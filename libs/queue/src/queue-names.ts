/** Every BullMQ queue of the helpdesk. Values are stored in Redis: never rename one. */
export enum QueueName {
  Triage = 'triage',
  SlaMonitor = 'sla-monitor',
  EscalationCommercial = 'escalation.commercial',
  EscalationPremier = 'escalation.premier',
  EscalationAdvanced = 'escalation.advanced',
  EscalationSignatureCloud = 'escalation.signature_cloud',
  /** Customer-facing messages (billing notices, …); its consumer comes with the e-mail channel. */
  Notifications = 'notifications',
  /** Full dunning runs: the daily schedule, `POST /dunning/runs`, after a CSV import. */
  BillingDunning = 'billing.dunning',
  /** One customer's dunning at the instant a step falls due (delayed jobs), or right after a change. */
  BillingDeadlines = 'billing.deadlines',
  /** subscription.suspend / subscription.resume webhooks to provisioning. */
  BillingProvisioning = 'billing.provisioning',
  /** Scheduled upkeep of intake's tables (pruning old idempotency keys). */
  IntakeHousekeeping = 'intake-housekeeping',
  /** Scheduled upkeep of escalation's: re-enqueueing lost deliveries, pruning old delivery history. */
  EscalationHousekeeping = 'escalation-housekeeping',
  /** Channels: a stored inbound e-mail to be made a ticket or a comment (job id: the message's id). */
  InboundEmail = 'inbound-email',
  /** Channels: an e-mail to a customer, composed and stored (job id: the outbound message's id). */
  CustomerEmail = 'customer-email',
  /** Channels' scheduled work: the "assigned to you" mail of the tickets triage assigned (a job scheduler). */
  ChannelsHousekeeping = 'channels-housekeeping',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/** The delivery queue of each vendor tier. */
export const ESCALATION_QUEUES = {
  commercial: QueueName.EscalationCommercial,
  premier: QueueName.EscalationPremier,
  advanced: QueueName.EscalationAdvanced,
  signature_cloud: QueueName.EscalationSignatureCloud,
} as const;
