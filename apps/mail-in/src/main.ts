import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@helpdesk/config';
import { logsWritten } from '@helpdesk/logging';
import { exitAfterShutdownDeadline } from '../../worker/src/shutdown-deadline';
import { MailInModule } from './mail-in.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(MailInModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // On SIGTERM the listener takes no new command (421: the sender tries again later or elsewhere)
  // and answers the messages inside DATA once they are committed (InboundSmtpServer.onModuleDestroy).
  app.enableShutdownHooks();
  exitAfterShutdownDeadline(app.get(AppConfig).SHUTDOWN_TIMEOUT_MS, logger);
  await app.init();
  // The launcher prints its banner on 'ready', after these logs.
  await logsWritten(PinoLogger.root);
  process.send?.({ type: 'ready', app: 'mail-in' });
}

bootstrap().catch((error: unknown) => {
  console.error('mail-in failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
