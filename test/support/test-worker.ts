import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { useTestEnvironment } from './test-api';

type TestAppEnv = { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string; [k: string]: string };

/** A headless app's real module (the worker, mail-in) in this process, against the given database and Redis; the test's own setup ran the migrations. */
export async function startTestHeadlessApp(module: Type<unknown>, env: TestAppEnv): Promise<INestApplicationContext> {
  useTestEnvironment({ ...env, MIGRATIONS_RUN: 'false' });
  const app = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
  await app.init();
  return app;
}

/** The real worker (processors, relays) in this process, against the given database and Redis. */
export function startTestWorker(env: TestAppEnv): Promise<INestApplicationContext> {
  return startTestHeadlessApp(WorkerModule, env);
}
