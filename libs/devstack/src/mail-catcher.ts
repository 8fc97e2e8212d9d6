import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

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
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        try {
          const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`;
          writeFileSync(join(options.dir, name), Buffer.concat(chunks));
          callback(null, `kept as ${name}`);
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${options.port}`,
    dir: options.dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
