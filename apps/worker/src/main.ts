import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@helpdesk/config';
import { logsWritten } from '@helpdesk/logging';
import { exitAfterShutdownDeadline } from './shutdown-deadline';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  exitAfterShutdownDeadline(app.get(AppConfig).SHUTDOWN_TIMEOUT_MS, logger);
  await app.init();
  // The launcher prints its banner on 'ready', after these logs.
  await logsWritten(PinoLogger.root);
  process.send?.({ type: 'ready', app: 'worker' });
}

bootstrap().catch((error: unknown) => {
  console.error('The worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
