import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  process.send?.({ type: 'ready', app: 'worker' });
}

bootstrap().catch((error: unknown) => {
  console.error('The worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
