import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@helpdesk/config';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import { IdempotencyKeysPruned, IdempotencyKeysPruner } from './idempotency-keys-pruner.service';

/** Intake's scheduled upkeep (a BullMQ job scheduler, one for all workers): pruning idempotency keys every PRUNE_EVERY_MS. */
@Processor(QueueName.IntakeHousekeeping, { concurrency: 1 })
export class IntakeHousekeepingProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly pruner: IdempotencyKeysPruner,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.IntakeHousekeeping) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'prune-idempotency-keys',
      { every: this.config.PRUNE_EVERY_MS },
      { name: JOB_NAME[QueueName.IntakeHousekeeping], data: { task: 'prune-idempotency-keys' } },
    );
  }

  process(): Promise<IdempotencyKeysPruned> {
    return this.pruner.prune();
  }
}
