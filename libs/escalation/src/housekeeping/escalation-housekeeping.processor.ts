import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@helpdesk/config';
import { JOB_NAME, JobOf, QueueName } from '@helpdesk/queue';
import { DeliveryReconciler, ReconcileResult } from '../delivery/delivery-reconciler.service';
import { DeliveryHistoryPruned, DeliveryHistoryPruner } from './delivery-history-pruner.service';

type Task = JobOf<QueueName.EscalationHousekeeping>['task'];

/**
 * Escalation's scheduled upkeep (BullMQ job schedulers, one for all workers): the delivery
 * reconciler every ESCALATION_RECONCILE_MS, the pruning of delivery history every PRUNE_EVERY_MS.
 * One job at a time per worker; each task also takes its own advisory lock across workers.
 */
@Processor(QueueName.EscalationHousekeeping, { concurrency: 1 })
export class EscalationHousekeepingProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly reconciler: DeliveryReconciler,
    private readonly pruner: DeliveryHistoryPruner,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.EscalationHousekeeping) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const schedule = (task: Task, every: number) =>
      this.queue.upsertJobScheduler(task, { every }, { name: JOB_NAME[QueueName.EscalationHousekeeping], data: { task } });
    await schedule('reconcile-deliveries', this.config.ESCALATION_RECONCILE_MS);
    await schedule('prune-delivery-history', this.config.PRUNE_EVERY_MS);
  }

  process(job: Job<JobOf<QueueName.EscalationHousekeeping>>): Promise<ReconcileResult | DeliveryHistoryPruned> {
    return job.data.task === 'reconcile-deliveries' ? this.reconciler.reconcile() : this.pruner.prune();
  }
}
