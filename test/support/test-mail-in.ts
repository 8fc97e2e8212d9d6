import { INestApplicationContext } from '@nestjs/common';
import { MailInModule } from '../../apps/mail-in/src/mail-in.module';
import { startTestHeadlessApp } from './test-worker';

/** The real mail-in app (the inbound SMTP listener on INBOUND_SMTP_PORT) in this process, against the given database and Redis. */
export function startTestMailIn(env: { DATABASE_URL: string; REDIS_URL: string; QUEUE_PREFIX: string; INBOUND_SMTP_PORT: string; [k: string]: string }): Promise<INestApplicationContext> {
  return startTestHeadlessApp(MailInModule, env);
}
