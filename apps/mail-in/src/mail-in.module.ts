import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { InboundSmtpModule } from '@helpdesk/channels/mail-in';
import { AppConfig, ConfigModule } from '@helpdesk/config';
import { DatabaseModule, OutboxModule } from '@helpdesk/database';
import { createRootLogger } from '@helpdesk/logging';
import { QueueModule } from '@helpdesk/queue';
import { MailInHealthServer } from './mail-in-health.server';

/**
 * E-mail in: the inbound SMTP listener (INBOUND_SMTP_PORT) and the writes it makes on arrival, in a
 * process of its own so that its arrival batches do not wait behind the worker's triage and sending
 * on one event loop. It runs no job and no relay: the worker's relays hand on what it commits.
 */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { logger: createRootLogger(config, { name: 'mail-in' }) } }),
    }),
    DatabaseModule,
    QueueModule,
    OutboxModule,
    InboundSmtpModule,
  ],
  providers: [MailInHealthServer],
})
export class MailInModule {}
