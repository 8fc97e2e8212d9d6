import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { NotificationSender } from './notification-sender.service';

/** The `customer-email` queue: one stored e-mail per job, reloaded from PostgreSQL and sent. */
@Processor(QueueName.CustomerEmail, { concurrency: 8 })
export class NotificationsProcessor extends WorkerHost {
  constructor(private readonly sender: NotificationSender) {
    super();
  }

  process(job: Job<JobOf<QueueName.CustomerEmail>>): Promise<'sent' | 'already-sent'> {
    return this.sender.send(job.data.outboundMessageId);
  }
}
