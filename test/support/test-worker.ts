import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { useTestEnvironment } from './test-api';

/** The real worker (processors, relays) in this process, against the given database and Redis. */
export async function startTestWorker(env: { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string; [k: string]: string }): Promise<INestApplicationContext> {
  useTestEnvironment({ ...env, MIGRATIONS_RUN: 'false' });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
  await app.init();
  return app;
}
