import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MailInModule } from '../../apps/mail-in/src/mail-in.module';
import { useTestEnvironment } from './test-api';

/** The real mail-in app (the inbound SMTP listener on INBOUND_SMTP_PORT) in this process, against the given database and Redis. */
export async function startTestMailIn(env: { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string; INBOUND_SMTP_PORT: string; [k: string]: string }): Promise<INestApplicationContext> {
  useTestEnvironment({ ...env, MIGRATIONS_RUN: 'false' });
  const app = await NestFactory.createApplicationContext(MailInModule, { logger: false, abortOnError: false });
  await app.init();
  return app;
}
