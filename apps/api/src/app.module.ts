import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule, BootstrapAdminService } from '@helpdesk/auth';
import { ConfigModule } from '@helpdesk/config';
import { DatabaseModule } from '@helpdesk/database';
import { createValidationPipe, ProblemDetailsFilter } from '@helpdesk/http';
import { QueueModule } from '@helpdesk/queue';
import { AgentsController } from './agents/agents.controller';
import { HealthController } from './health/health.controller';
import { LoggingModule } from './logging.module';

@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, QueueModule, TerminusModule, AuthModule],
  controllers: [HealthController, AgentsController],
  providers: [
    BootstrapAdminService,
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
