import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpReceiver } from './smtp-receiver';

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL is set to. */
  url: string;
  dir: string;
  stop: () => Promise<void>;
}

/**
 * A local SMTP server that keeps every message it receives as an .eml file in `dir` (newest last
 * by name) and delivers nothing: what `npm start` sends its notifications to when SMTP_URL is not
 * set, so no mail leaves the machine while developing.
 */
export async function startMailCatcher(options: { dir: string; port: number }): Promise<MailCatcher> {
  mkdirSync(options.dir, { recursive: true });
  const receiver = await startSmtpReceiver(options.port, async (raw) => {
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`;
    writeFileSync(join(options.dir, name), raw);
    return `kept as ${name}`;
  });
  return { url: receiver.url, dir: options.dir, stop: receiver.stop };
}
