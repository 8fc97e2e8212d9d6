import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ParsedMail, simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { freePort } from '../../libs/devstack/src/free-port';
import { SmtpReceiver, startSmtpReceiver } from '../../libs/devstack/src/smtp-receiver';
import { bearer, eventually, startTestApi, startTestMailIn, startTestWorker, TestApi, testStack } from '../support';

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
  private receiver?: SmtpReceiver;

  /**
   * `beforeAnswer` runs before the server answers a message's DATA: 'accept' (250, the default) or
   * 'hold' (no answer at all: the sender waits inside DATA); an error it throws refuses the message
   * (its `responseCode`, else 450) and keeps nothing of it.
   */
  constructor(
    readonly port: number,
    private readonly beforeAnswer: (mail: ParsedMail) => Promise<'accept' | 'hold'> = async () => 'accept',
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.receiver = await startSmtpReceiver(this.port, async (raw) => {
      const mail = await simpleParser(raw);
      if ((await this.beforeAnswer(mail)) === 'hold') return new Promise<never>(() => undefined);
      this.received.push({ raw, mail });
    });
  }

  async stop(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = undefined;
    await receiver?.stop();
  }

  byMessageId(id: string) {
    return this.received.filter((r) => r.mail.messageId === id);
  }
}

/** A ticket number as customers read it: HD-000123. */
export const hd = (n: string | number) => `HD-${String(n).padStart(6, '0')}`;

/**
 * E-mail in and out, all real: the API, a worker and mail-in (the inbound SMTP listener) on a fresh
 * database, sending notifications to a `ReceivingSmtp`, with the look-ups the mail specs share.
 */
export interface MailStack {
  api: TestApi;
  worker: INestApplicationContext;
  /** The mail-in app: the inbound SMTP listener on `inboundPort`. */
  listener: INestApplicationContext;
  receiving: ReceivingSmtp;
  inboundPort: number;
  /** The ticket's outgoing mail rows, oldest first. */
  outbound: (ticketId: string) => Promise<Array<Record<string, unknown>>>;
  /** The stored inbound message with this Message-ID. */
  inboundBy: (messageId: string) => Promise<Record<string, unknown> | undefined>;
  /** Waits until the receiving end has a message with this Message-ID; all it has with it. */
  delivered: (messageId: string) => Promise<ReceivingSmtp['received']>;
  /** Mails a new request in over SMTP and waits for its ticket. */
  mailIn: (from: string, subject: string, body?: string) => Promise<{ id: string; number: string; mid: string }>;
  close: () => Promise<void>;
}

/**
 * `extraEnv` goes to both apps (e.g. NOTIFICATION_ATTEMPTS, which the queue of either app sets on the
 * jobs it adds); `beforeAnswer`, to the receiving server (ReceivingSmtp).
 */
export async function startMailStack(extraEnv: Record<string, string> = {}, beforeAnswer?: ConstructorParameters<typeof ReceivingSmtp>[1]): Promise<MailStack> {
  const inboundPort = await freePort();
  const receiving = new ReceivingSmtp(await freePort(), beforeAnswer);
  await receiving.start();
  const env = { MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>`, ...extraEnv };
  const api = await startTestApi({ env });
  const worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env });
  const listener = await startTestMailIn({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, INBOUND_SMTP_PORT: String(inboundPort), ...env });

  const outbound = (ticketId: string) =>
    api.dataSource.query(`SELECT * FROM outbound_messages WHERE ticket_id = $1 ORDER BY created_at`, [ticketId]) as Promise<Array<Record<string, unknown>>>;
  const inboundBy = async (mid: string) => (await api.dataSource.query(`SELECT * FROM inbound_messages WHERE message_id = $1`, [mid]))[0] as Record<string, unknown> | undefined;
  const delivered = (id: string) => eventually(async () => receiving.byMessageId(id), (m) => m.length >= 1, 20_000, `delivery of ${id}`);
  const mailIn = async (from: string, subject: string, body = 'Ayuda / help.') => {
    const mid = messageId('in');
    const answer = await sendSmtp(inboundPort, rawMail({ From: from, Subject: subject, 'Message-ID': mid }, body));
    if (!answer.startsWith('250 ')) throw new Error(`mail in: ${answer}`);
    const row = await eventually(() => inboundBy(mid), (r) => r?.status === 'ticket', 20_000, 'ticket from mail');
    const [ticket] = await api.dataSource.query(`SELECT id, number FROM tickets WHERE id = $1`, [row!.ticket_id]);
    return { ...ticket, mid } as { id: string; number: string; mid: string };
  };
  return {
    api,
    worker,
    listener,
    receiving,
    inboundPort,
    outbound,
    inboundBy,
    delivered,
    mailIn,
    close: async () => {
      await listener.close();
      await worker.close();
      await api.close();
      await receiving.stop();
    },
  };
}
