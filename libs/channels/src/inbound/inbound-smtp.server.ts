import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { AppConfig } from '@helpdesk/config';
import { InboundMailProcessing } from './inbound-mail-processing.service';

/** How long a stopping listener waits for its open sessions before it closes them with `421`. */
export const CLOSE_GRACE_MS = 10_000;

/** An SMTP reply code for the callback's error (smtp-server reads `responseCode`). */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The inbound SMTP listener (INBOUND_SMTP_PORT; off at 0). It takes mail for any recipient, without
 * authentication or TLS (put it behind the MX that does those), keeps each message whole and
 * answers `250` only once `InboundMailProcessing.receive` has committed it (made a ticket, a comment
 * or nothing, or stored raw for the job): a crash or a database outage before that is a `451` or a
 * dropped connection, and the sending server tries again. A message over INBOUND_EMAIL_MAX_BYTES is
 * refused with `552` (the limit is also announced in EHLO's SIZE).
 *
 * Stopping: no new connection, and any command after that is answered `421` (the sender tries again
 * later, or another listener); a message inside DATA is answered once its batch commits. Sessions
 * still open after CLOSE_GRACE_MS (at most half of SHUTDOWN_TIMEOUT_MS) get `421` and are closed:
 * a message whose batch had not committed by then was never answered `250`, and its retry meets
 * what it made (if it committed after all) on its Message-ID.
 */
@Injectable()
export class InboundSmtpServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('InboundSmtp');
  private server?: SMTPServer;

  constructor(
    private readonly config: AppConfig,
    private readonly processing: InboundMailProcessing,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.INBOUND_SMTP_PORT === 0) return;
    const maxBytes = this.config.INBOUND_EMAIL_MAX_BYTES;
    this.server = new SMTPServer({
      name: this.config.MAIL_DOMAIN,
      banner: 'helpdesk inbound mail',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: maxBytes,
      logger: false,
      // Nothing reads the client's reverse-resolved name; the look-up would cost a DNS query per connection.
      disableReverseLookup: true,
      closeTimeout: Math.min(CLOSE_GRACE_MS, Math.floor(this.config.SHUTDOWN_TIMEOUT_MS / 2)),
      onData: (stream, session, callback) => {
        this.receive(stream, session, maxBytes).then(
          (id) => callback(null, `Message accepted as ${id}`),
          (error: Error) => callback(error),
        );
      },
    });
    this.server.on('error', (error) => this.logger.error(`SMTP listener: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.INBOUND_SMTP_PORT, this.config.INBOUND_SMTP_HOST, () => resolve());
    });
    this.logger.log(`Inbound SMTP listening on ${this.config.INBOUND_SMTP_HOST}:${this.config.INBOUND_SMTP_PORT}`);
  }

  /** Taking mail: listening, and not stopping. */
  get listening(): boolean {
    return this.server?.server.listening ?? false;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession, maxBytes: number): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Read to the end either way (the client waits for its reply after DATA), keeping nothing past the limit.
      if (size <= maxBytes) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > maxBytes) throw smtpError(552, `Message exceeds the fixed maximum message size of ${maxBytes} bytes`);
    try {
      return await this.processing.receive({
        source: 'smtp',
        raw: Buffer.concat(chunks),
        envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
        envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      });
    } catch (error) {
      this.logger.warn(`Inbound SMTP: could not store a message, answered 451: ${error instanceof Error ? error.message : String(error)}`);
      throw smtpError(451, 'Temporary failure storing the message, try again later');
    }
  }
}
