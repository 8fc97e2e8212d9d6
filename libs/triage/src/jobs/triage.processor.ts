import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@helpdesk/config';
import { JobOf, QueueName } from '@helpdesk/queue';
import { TriageOutcome, TriageService } from '../triage/triage.service';

/**
 * Adapts a triage job to TriageService; failures are retried by BullMQ (TRIAGE_RETRY). Runs
 * TRIAGE_CONCURRENCY jobs at once: TriageService triages the jobs in flight together, in batches.
 * A job of several tickets (an arrival batch of mail): TriageService.triageAll.
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

  async process(job: Job<JobOf<QueueName.Triage>>): Promise<TriageOutcome | Partial<Record<TriageOutcome, number>>> {
    const data = job.data;
    return 'ticketIds' in data ? this.triage.triageAll(data.ticketIds) : this.triage.triage(data.ticketId);
  }
}
