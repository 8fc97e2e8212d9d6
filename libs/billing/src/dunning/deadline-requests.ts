import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { QueueName } from '@helpdesk/queue';
import { enqueueMany } from '../outbox-rows';

/**
 * Asks for a look at these customers' dunning right after the caller's transaction commits (an
 * invoice or a pause changed): whatever is due now is applied then, not at the next daily run, and
 * the customer's next deadline is scheduled as a delayed job.
 */
export async function requestDeadlineChecks(manager: EntityManager, customerIds: readonly string[]): Promise<void> {
  await enqueueMany(
    manager,
    QueueName.BillingDeadlines,
    [...new Set(customerIds)].map((customerId) => ({ jobId: `${customerId}-check-${randomUUID()}`, payload: { customerId } })),
  );
}
