import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobOf, QueueName } from '@helpdesk/queue';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { DunningDeadlines } from './dunning-deadlines.service';
import { DunningRunsService } from './dunning-runs.service';
import { DunningSchedule } from './dunning-schedule';

/** Full runs: queued ones and the daily schedule's (one at a time per worker; runs never double-apply anyway). */
@Processor(QueueName.BillingDunning, { concurrency: 1, metrics: { maxDataPoints: 1440 } })
export class DunningRunProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('DunningRuns');

  constructor(
    private readonly runs: DunningRunsService,
    private readonly schedule: DunningSchedule,
    private readonly policy: CollectionsPolicyService,
  ) {
    super();
  }

  /** The daily run follows the partner's time zone (also when a policy was published while Redis was away). */
  async onApplicationBootstrap(): Promise<void> {
    await this.schedule.sync(await this.policy.timezone()).catch((error: Error) => this.logger.warn(`daily dunning schedule not set: ${error.message}`));
  }

  async process(job: Job<JobOf<QueueName.BillingDunning>>): Promise<string> {
    if (!job.data.runId) await this.schedule.sync(await this.policy.timezone());
    const run = await this.runs.execute(job.data.runId);
    return run.id;
  }
}

/** One customer's dunning when a deadline comes (or something changed), then its next deadline. */
@Processor(QueueName.BillingDeadlines, { concurrency: 4, metrics: { maxDataPoints: 1440 } })
export class DunningDeadlineProcessor extends WorkerHost {
  constructor(private readonly deadlines: DunningDeadlines) {
    super();
  }

  async process(job: Job<JobOf<QueueName.BillingDeadlines>>): Promise<{ applied: number; next: string | null }> {
    const { outcome, next } = await this.deadlines.check(job.data.customerId, job.id);
    return { applied: outcome.applied.remind + outcome.applied.final_notice + outcome.applied.suspend, next: next?.toISOString() ?? null };
  }
}
