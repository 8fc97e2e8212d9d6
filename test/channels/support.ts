import { randomBytes } from 'node:crypto';
import { ParsedMail, simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { bearer, TestApi } from '../support';

export const MAIL_DOMAIN = 'helpdesk.test';

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A raw RFC 5322 message (CRLF line ends), headers in the given order. */
export function rawMail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

export const messageId = (tag = 'm') => `<${tag}.${randomBytes(6).toString('hex')}@mail.customer.example>`;

/** Hands `raw` to an SMTP server as a sending MTA would; resolves with the server's reply, rejects with its error (`responseCode`). */
export async function sendSmtp(port: number, raw: string | Buffer, from = 'sender@customer.example'): Promise<string> {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  try {
    const info = await transport.sendMail({ envelope: { from, to: [`support@${MAIL_DOMAIN}`] }, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

export async function addContact(api: TestApi, customerId: string, body: { name: string; email: string; locale: 'es' | 'en' }): Promise<{ id: string }> {
  const res = await api.http.post(`/api/v1/customers/${customerId}/contacts`).set(bearer(api.adminToken)).send(body);
  if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A real SMTP server as the receiving end of our notifications: keeps what it gets, parsed. */
export class ReceivingSmtp {
  readonly received: Array<{ raw: Buffer; mail: ParsedMail }> = [];
  private server?: SMTPServer;

  /**
   * `beforeAnswer` runs before the server answers a message's DATA: 'accept' (250, the default) or
   * 'hold' (no answer at all: the sender waits inside DATA).
   */
  constructor(
    readonly port: number,
    private readonly beforeAnswer: (mail: ParsedMail) => Promise<'accept' | 'hold'> = async () => 'accept',
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then(async (mail) => {
              if ((await this.beforeAnswer(mail)) === 'hold') return;
              this.received.push({ raw, mail });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  byMessageId(id: string) {
    return this.received.filter((r) => r.mail.messageId === id);
  }
}
