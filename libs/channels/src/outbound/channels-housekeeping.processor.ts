import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@helpdesk/config';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import { AutoAssignmentMail, AutoAssignmentMailRun } from './auto-assignment-mail.service';

/**
 * Channels' scheduled work (a BullMQ job scheduler, one for all workers): the "assigned to you" mail
 * of the tickets triage assigned, every AUTO_ASSIGNMENT_MAIL_EVERY_MS.
 */
@Processor(QueueName.ChannelsHousekeeping, { concurrency: 1 })
export class ChannelsHousekeepingProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly autoAssignmentMail: AutoAssignmentMail,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.ChannelsHousekeeping) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'mail-auto-assignments',
      { every: this.config.AUTO_ASSIGNMENT_MAIL_EVERY_MS },
      { name: JOB_NAME[QueueName.ChannelsHousekeeping], data: { task: 'mail-auto-assignments' } },
    );
  }

  process(): Promise<AutoAssignmentMailRun> {
    return this.autoAssignmentMail.runUnlessTriageBusy();
  }
}
