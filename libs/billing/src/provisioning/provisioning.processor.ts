import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { ProvisioningDeliveryService } from './provisioning-delivery.service';

/**
 * Thin: one delivery attempt per job attempt. A failure is thrown so BullMQ retries it with the
 * queue's exponential backoff; the last one is recorded as failed and not retried.
 */
@Processor(QueueName.BillingProvisioning, { concurrency: 4, metrics: { maxDataPoints: 1440 } })
export class ProvisioningProcessor extends WorkerHost {
  constructor(private readonly delivery: ProvisioningDeliveryService) {
    super();
  }

  async process(job: Job<JobOf<QueueName.BillingProvisioning>>): Promise<string> {
    const outcome = await this.delivery.deliver(job.data.actionId, job.attemptsMade + 1, Math.max(1, job.opts.attempts ?? 1));
    if (outcome.kind === 'retry') throw new Error(outcome.error);
    if (outcome.kind === 'failed') throw new UnrecoverableError(outcome.error);
    return outcome.kind;
  }
}
