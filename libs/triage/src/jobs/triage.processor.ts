import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@helpdesk/config';
import { JobOf, QueueName } from '@helpdesk/queue';
import { TriageService } from '../triage/triage.service';

/**
 * Adapts a triage job to TriageService; failures are retried by BullMQ (TRIAGE_RETRY). Runs
 * TRIAGE_CONCURRENCY jobs at once: TriageService triages the jobs in flight together, in batches.
 */
@Processor(QueueName.Triage, { concurrency: 64, metrics: { maxDataPoints: 1440 } })
export class TriageProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly triage: TriageService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.TRIAGE_CONCURRENCY;
  }

  async process(job: Job<JobOf<QueueName.Triage>>): Promise<string> {
    return this.triage.triage(job.data.ticketId);
  }
}
