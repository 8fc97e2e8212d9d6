import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { NotificationSender, SMTP_POOL } from './notification-sender.service';

/**
 * The `customer-email` queue: stored e-mails reloaded from PostgreSQL and sent — one a job, or the
 * acknowledgements of one arrival batch of mail (`outboundMessageIds`), in the same queue so that a
 * worker of the build before still finds its one-id jobs handled. Twice as many jobs at once as the
 * sender's SMTP connections, so that while some wait for PostgreSQL (the row, the mark) every
 * connection still has a message to send.
 */
@Processor(QueueName.CustomerEmail, { concurrency: 2 * SMTP_POOL.maxConnections })
export class NotificationsProcessor extends WorkerHost {
  constructor(private readonly sender: NotificationSender) {
    super();
  }

  process(job: Job<JobOf<QueueName.CustomerEmail>>): Promise<'sent' | 'already-sent' | { sent: number; alreadySent: number }> {
    // This attempt is the job's last when BullMQ would not retry a failure (attemptsMade counts those before it).
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const data = job.data;
    return 'outboundMessageIds' in data ? this.sender.sendAll(data.outboundMessageIds, lastAttempt) : this.sender.send(data.outboundMessageId, lastAttempt);
  }
}
