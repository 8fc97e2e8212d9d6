import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@helpdesk/config';
import { logsWritten } from '@helpdesk/logging';
import { exitAfterShutdownDeadline } from './shutdown-deadline';

/**
 * Runs an app without HTTP routes of Nest's (the worker, mail-in) as the launcher, compose and the
 * benches expect: its module's logs through pino, Nest's shutdown hooks on SIGTERM/SIGINT within
 * SHUTDOWN_TIMEOUT_MS, then `{ type: 'ready', app }` to the parent once its logs are written (the
 * launcher prints its banner after them). A failure to start is one line on stderr and exit code 1.
 */
export function runHeadlessApp(module: Type<unknown>, app: string): void {
  const start = async () => {
    const context = await NestFactory.createApplicationContext(module, { bufferLogs: true });
    const logger = context.get(Logger);
    context.useLogger(logger);
    context.enableShutdownHooks();
    exitAfterShutdownDeadline(context.get(AppConfig).SHUTDOWN_TIMEOUT_MS, logger);
    await context.init();
    await logsWritten(PinoLogger.root);
    process.send?.({ type: 'ready', app });
  };
  start().catch((error: unknown) => {
    console.error(`${app} failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
