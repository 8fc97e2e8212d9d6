import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { InboundMailProcessing, InboundOutcome } from './inbound-mail-processing.service';

/** The `inbound-email` queue: one stored message per job, reloaded from PostgreSQL. */
@Processor(QueueName.InboundEmail, { concurrency: 8 })
export class InboundEmailProcessor extends WorkerHost {
  constructor(private readonly processing: InboundMailProcessing) {
    super();
  }

  process(job: Job<JobOf<QueueName.InboundEmail>>): Promise<InboundOutcome | null> {
    return this.processing.process(job.data.inboundMessageId);
  }
}
