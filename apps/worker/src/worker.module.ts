import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { BillingJobsModule } from '@helpdesk/billing';
import { ChannelsJobsModule } from '@helpdesk/channels/jobs';
import { AppConfig, ConfigModule } from '@helpdesk/config';
import { DatabaseModule, OutboxModule, OutboxRelayModule } from '@helpdesk/database';
import { EscalationJobsModule } from '@helpdesk/escalation';
import { IntakeJobsModule } from '@helpdesk/intake';
import { createRootLogger } from '@helpdesk/logging';
import { StatsCompactionModule, WorkerMetricsModule } from '@helpdesk/monitoring';
import { QueueModule } from '@helpdesk/queue';
import { TriageJobsModule } from '@helpdesk/triage';
import { WorkbenchJobsModule } from '@helpdesk/workbench';
import { LauncherState } from './launcher-state';
import { WorkerHealthServer } from './worker-health.server';

/** The worker: BullMQ processors and background relays, no controllers. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { logger: createRootLogger(config, { name: 'worker' }) } }),
    }),
    DatabaseModule,
    QueueModule,
    OutboxModule,
    OutboxRelayModule,
    IntakeJobsModule,
    TriageJobsModule,
    WorkerMetricsModule,
    StatsCompactionModule,
    TerminusModule,
    EscalationJobsModule,
    BillingJobsModule,
    WorkbenchJobsModule,
    ChannelsJobsModule,
  ],
  providers: [LauncherState, WorkerHealthServer],
})
export class WorkerModule {}
