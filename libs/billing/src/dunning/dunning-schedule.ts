import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOB_NAME, QueueName } from '@helpdesk/queue';

/** The daily run's BullMQ job scheduler: at 00:00 in the partner's time zone, when that day's steps fall due. */
export const DAILY_RUN_SCHEDULER = 'dunning-daily';
export const DAILY_RUN_PATTERN = '0 0 * * *';

@Injectable()
export class DunningSchedule {
  constructor(@InjectQueue(QueueName.BillingDunning) private readonly queue: Queue) {}

  /** Makes the daily run follow `timezone` (a no-op when it already does). */
  async sync(timezone: string): Promise<void> {
    const current = await this.queue.getJobScheduler(DAILY_RUN_SCHEDULER);
    if (current?.pattern === DAILY_RUN_PATTERN && current.tz === timezone) return;
    await this.queue.upsertJobScheduler(DAILY_RUN_SCHEDULER, { pattern: DAILY_RUN_PATTERN, tz: timezone }, { name: JOB_NAME[QueueName.BillingDunning], data: {} });
  }

  async current(): Promise<{ pattern: string | null; timezone: string | null; next: number | null } | null> {
    const scheduler = await this.queue.getJobScheduler(DAILY_RUN_SCHEDULER);
    return scheduler ? { pattern: scheduler.pattern ?? null, timezone: scheduler.tz ?? null, next: scheduler.next ?? null } : null;
  }
}
