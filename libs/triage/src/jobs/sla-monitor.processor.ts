import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import { SlaMonitorService, SlaScanResult } from '../monitor/sla-monitor.service';

export const SLA_SCAN_EVERY_MS = 30_000;

/** The SLA scan, every 30 s through a BullMQ job scheduler (one schedule for all workers). */
@Processor(QueueName.SlaMonitor, { concurrency: 1, metrics: { maxDataPoints: 1440 } })
export class SlaMonitorProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly monitor: SlaMonitorService,
    @InjectQueue(QueueName.SlaMonitor) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('sla-scan', { every: SLA_SCAN_EVERY_MS }, { name: JOB_NAME[QueueName.SlaMonitor], data: {} });
  }

  process(): Promise<SlaScanResult> {
    return this.monitor.scan();
  }
}
