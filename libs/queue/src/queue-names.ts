/** Every BullMQ queue of the helpdesk. Values are stored in Redis: never rename one. */
export enum QueueName {
  Triage = 'triage',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
