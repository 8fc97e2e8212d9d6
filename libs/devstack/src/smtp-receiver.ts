import { SMTPServer } from 'smtp-server';

export interface SmtpReceiver {
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL is set to. */
  url: string;
  stop: () => Promise<void>;
}

/**
 * A local SMTP server on 127.0.0.1 that takes mail for anyone, without AUTH or TLS, and hands each
 * message whole to `onMessage`: its answer is the 250's text, its rejection the sender's error, and
 * a promise that never settles leaves the sender waiting inside DATA. The receiving end of our
 * notifications for `npm start` (the mail catcher), the tests and the benches.
 */
export async function startSmtpReceiver(port: number, onMessage: (raw: Buffer) => Promise<string | void>): Promise<SmtpReceiver> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // Local senders only: a PTR look-up of 127.0.0.1 per connection would only ask the resolver.
    disableReverseLookup: true,
    // Stopping is the server going away: open connections (a sender's pooled ones) get 421 and
    // close after a second, not after smtp-server's default 30 s of grace.
    closeTimeout: 1000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        onMessage(Buffer.concat(chunks)).then(
          (answer) => callback(null, answer ?? undefined),
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
