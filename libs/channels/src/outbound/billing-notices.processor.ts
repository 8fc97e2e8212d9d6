import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { BillingNoticeMail } from './billing-notice-mail.service';

/** The `notifications` queue: billing's dunning notices, one job per dunning batch, turned into e-mails. */
@Processor(QueueName.Notifications, { concurrency: 2 })
export class BillingNoticesProcessor extends WorkerHost {
  constructor(private readonly mail: BillingNoticeMail) {
    super();
  }

  process(job: Job<JobOf<QueueName.Notifications>>): Promise<number> {
    return this.mail.store(job.data.noticeIds);
  }
}
