import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TerminusModule } from '@nestjs/terminus';
import type { ConnectionOptions } from 'bullmq';
import { AppConfig } from '@helpdesk/config';
import { jobOptionsFor } from './job-options';
import { LiveEvents } from './live-events';
import { ALL_QUEUES } from './queue-names';
import { redisOptionsFromUrl } from './redis-connection';
import { RedisHealthIndicator } from './redis-health.indicator';

/** The BullMQ connection and every queue, registered once for both apps; and the live-events publisher. */
@Global()
@Module({
  imports: [
    TerminusModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisOptionsFromUrl(config.REDIS_URL) as ConnectionOptions,
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueueAsync(
      ...ALL_QUEUES.map((name) => ({ name, inject: [AppConfig], useFactory: (config: AppConfig) => ({ defaultJobOptions: jobOptionsFor(name, config) }) })),
    ),
  ],
  providers: [RedisHealthIndicator, LiveEvents],
  exports: [BullModule, RedisHealthIndicator, LiveEvents],
})
export class QueueModule {}
