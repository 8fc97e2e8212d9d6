import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { TriageService } from '../triage/triage.service';

/** Adapts a triage job to TriageService; failures are retried by BullMQ (TRIAGE_RETRY). */
@Processor(QueueName.Triage, { concurrency: 8, metrics: { maxDataPoints: 1440 } })
export class TriageProcessor extends WorkerHost {
  constructor(private readonly triage: TriageService) {
    super();
  }

  async process(job: Job<JobOf<QueueName.Triage>>): Promise<string> {
    return this.triage.triage(job.data.ticketId);
  }
}
