import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { NotificationSender, SMTP_POOL } from './notification-sender.service';

/**
 * The `customer-email` queue: one stored e-mail per job, reloaded from PostgreSQL and sent. Twice
 * as many jobs at once as the sender's SMTP connections, so that while some wait for PostgreSQL
 * (the row, the mark) every connection still has a message to send.
 */
@Processor(QueueName.CustomerEmail, { concurrency: 2 * SMTP_POOL.maxConnections })
export class NotificationsProcessor extends WorkerHost {
  constructor(private readonly sender: NotificationSender) {
    super();
  }

  process(job: Job<JobOf<QueueName.CustomerEmail>>): Promise<'sent' | 'already-sent'> {
    // This attempt is the job's last when BullMQ would not retry a failure (attemptsMade counts those before it).
    return this.sender.send(job.data.outboundMessageId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }
}
