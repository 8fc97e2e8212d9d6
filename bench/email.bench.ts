/**
 * `npm run bench:email`: e-mail in and out through real SMTP, against the BUILT api, worker and mail-in.
 *
 * Phase 1 (in): new mails from known contacts sent at a steady BENCH_RATE per second (default 200)
 * for BENCH_DURATION seconds (default 30) over BENCH_SMTP_CONNECTIONS (default 8) SMTP connections
 * to mail-in's inbound listener; each becomes a ticket (and an acknowledgement mail to the sink).
 * Latency = when the ticket was committed − when the mail was handed to the client (an upper
 * bound of end of DATA → stored, which holds whether the listener commits the ticket before its
 * `250` or only the raw message); also − when the client read the `250` (see `inboundLatencies`). Verified in PostgreSQL: every accepted message is exactly one ticket
 * (externalId = its Message-ID), none missing, none twice, and its acknowledgement reached the sink once.
 * Phase 2 (out): public staff replies POSTed at BENCH_NOTIFY_RATE per second (default 200) for
 * BENCH_NOTIFY_DURATION seconds (default BENCH_DURATION) on the phase-1 tickets; each mails the
 * contact through `customer-email` to an SMTP sink in this process (`smtp-server`). Delivered/s and
 * reply (201) → delivered at the sink; verified: each (reply, recipient) exactly once by Message-ID.
 *
 * Environment: DATABASE_URL / REDIS_URL (otherwise a throw-away embedded PostgreSQL, fsync on, and a
 * local redis-server), BENCH_RATE, BENCH_DURATION, BENCH_WARMUP (s at BENCH_RATE before phase 1,
 * default 3, not measured), BENCH_SMTP_CONNECTIONS, BENCH_NOTIFY_RATE, BENCH_NOTIFY_DURATION,
 * BENCH_CUSTOMERS (default 20), BENCH_CONTACTS (per customer, default 5), BENCH_PHASES (default
 * "in,out"; "out" alone replies on 200 e-mail tickets filed through the API), BENCH_KEEP_TMP=1, BENCH_WORKER_CPU_PROF=1,
 * BENCH_PG_WAITS=1 (the stack's PostgreSQL sessions' states and wait events while sending, sampled every 20 ms), BENCH_REFERENCE (default "discard,store"; 0 skips): after phase in, the same mails at the same rate
 * over the same connections to bare SMTP servers (bare-smtp-reference.ts) — one that discards each
 * message, one that commits it raw to PostgreSQL before its `250` — for the ceiling of this machine.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { notificationMessageId } from '@helpdesk/channels';
import { freePort, SmtpReceiver, startSmtpReceiver } from '@helpdesk/devstack';
import { LiveEvent, liveEventsChannel, redisOptionsFromUrl } from '@helpdesk/queue';
import {
  BenchStack,
  call,
  cpuBetween,
  cpuMsPerRequest,
  cpuSnapshot,
  cpuSnapshotOf,
  CpuSnapshot,
  createCustomers,
  envNumber,
  machineDescription,
  postJson,
  procStatus,
  rssSampler,
  RunningWorker,
  runBench,
  say,
  resetStatementStats,
  sleep,
  startBenchMailIn,
  startBenchWorker,
  statementStats,
  stopBenchWorker,
  waitSampler,
} from './bench-stack';

/** BENCH_PG_STATEMENTS=1: PostgreSQL's time per statement and inbound mail (pg_stat_statements). */
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';
/** BENCH_PG_WAL=1: phase in's WAL per mail by relation and by record type (pg_walinspect; keep the run short, the WAL must still be on disk). */
const PG_WAL = process.env.BENCH_PG_WAL === '1';
/** BENCH_REDIS_MONITOR=1: phase in's Redis commands per mail by client, command (a BullMQ script by name) and queue (MONITOR: counts, not times). */
const REDIS_MONITOR = process.env.BENCH_REDIS_MONITOR === '1';
/** BENCH_PG_WAITS=1: what the stack's PostgreSQL sessions are doing while mail comes in (pg_stat_activity, every 20 ms). */
const PG_WAITS = process.env.BENCH_PG_WAITS === '1';
import { ticketText } from './ticket-bodies';
import { backendSnapshot, backendsBetween, statementsPerItem, walPerItem } from './pg-backends';
import { perJob, redisCommandCalls } from './redis-commands';
import { monitorRedis } from './redis-monitor';

/** BENCH_SEND_REFERENCE=0 skips phase out's reference: nodemailer alone sending the same composed mails to the same sink. */
const SEND_REFERENCE = process.env.BENCH_SEND_REFERENCE !== '0';

const RATE = envNumber('BENCH_RATE', 200);
const DURATION = envNumber('BENCH_DURATION', 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const SMTP_CONNECTIONS = envNumber('BENCH_SMTP_CONNECTIONS', 8);
const NOTIFY_RATE = envNumber('BENCH_NOTIFY_RATE', 200);
const NOTIFY_DURATION = envNumber('BENCH_NOTIFY_DURATION', DURATION);
const CUSTOMERS = envNumber('BENCH_CUSTOMERS', 20);
const CONTACTS = envNumber('BENCH_CONTACTS', 5);
const PHASES = new Set((process.env.BENCH_PHASES ?? 'in,out').split(',').map((s) => s.trim()));
const REFERENCES = (process.env.BENCH_REFERENCE === '0' ? '' : (process.env.BENCH_REFERENCE ?? 'discard,store'))
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is 'discard' | 'store' => s === 'discard' || s === 'store');
/** How long after the last send the bench waits for the stragglers before it calls them missing. */
const DRAIN_MS = 120_000;

const MAIL_DOMAIN = 'helpdesk.bench';
const SUPPORT_ADDRESS = `support@${MAIL_DOMAIN}`;
/** The bench's stack uses the default queue prefix, so live events go out on its channel. */
const QUEUE_PREFIX = 'helpdesk';

const TARGET_INBOUND_P99_MS = 1000;
const TARGET_RATE = 200;

// ---- figures ------------------------------------------------------------------------------------

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const ms = (v: number) => `${Math.round(v)} ms`;
const spread = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s[s.length - 1], min: s[0] };
};
const spreadText = (s: ReturnType<typeof spread>) => `p50 ${ms(s.p50)}, p90 ${ms(s.p90)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (min ${ms(s.min)}, n ${s.n})`;

// ---- the SMTP sink ------------------------------------------------------------------------------

/** The receiving end of our notifications: when each Message-ID arrived (end of DATA), every time it did. */
class CountingSink {
  readonly arrivals = new Map<string, number[]>();
  withoutMessageId = 0;
  private receiver?: SmtpReceiver;

  constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.receiver = await startSmtpReceiver(this.port, async (message) => {
      const at = Date.now();
      const raw = message.toString('latin1');
      const headers = raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0);
      const id = /^message-id:\s*(<[^>]+>)/im.exec(headers)?.[1];
      if (!id) this.withoutMessageId++;
      else this.arrivals.set(id, [...(this.arrivals.get(id) ?? []), at]);
    });
  }

  async stop(): Promise<void> {
    await this.receiver?.stop();
    this.receiver = undefined;
  }

  count(id: string): number {
    return this.arrivals.get(id)?.length ?? 0;
  }
}

// ---- pacing ---------------------------------------------------------------------------------------

/**
 * An open-loop scheduler: `fire(i)` at t0 + i/rate whatever the answers do, for `seconds`; resolves
 * once every fired call has settled, with the achieved send rate and how late the sends were.
 */
async function paced(rate: number, seconds: number, fire: (i: number) => Promise<void>): Promise<{ sent: number; achieved: number; lateness: ReturnType<typeof spread>; t0: number; sendEnd: number }> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const lateness: number[] = [];
  const pending: Array<Promise<void>> = [];
  const t0 = performance.now() + 20;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
    while (sent < due) {
      lateness.push(performance.now() - (t0 + sent * interval));
      pending.push(fire(sent++));
    }
    const wait = t0 + sent * interval - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const sendEnd = performance.now();
  await Promise.all(pending);
  return { sent: total, achieved: total / ((sendEnd - t0) / 1000), lateness: spread(lateness), t0, sendEnd };
}

async function until(what: string, check: () => Promise<boolean>, deadlineMs = DRAIN_MS): Promise<boolean> {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  say(`gave up waiting for ${what} after ${deadlineMs / 1000} s`);
  return false;
}

// ---- seeding --------------------------------------------------------------------------------------

interface Contact {
  customerId: string;
  name: string;
  email: string;
  locale: 'es' | 'en';
}

const FIRST = ['Marta', 'Javier', 'Lucía', 'Emma', 'Oliver', 'Sophie', 'Íñigo', 'Begoña', 'James', 'Aisha'];
const LAST = ['López', 'García', 'Smith', 'Núñez', 'Wilson', 'Ibáñez', 'Brown', 'Muñoz'];

async function seedContacts(stack: BenchStack): Promise<Contact[]> {
  const customers = await createCustomers(stack, CUSTOMERS, false);
  const contacts: Contact[] = [];
  for (const customer of customers) {
    for (let i = 0; i < CONTACTS; i++) {
      const name = `${FIRST[(contacts.length + i) % FIRST.length]} ${LAST[(contacts.length * 3 + i) % LAST.length]}`;
      const email = `${name.normalize('NFD').replace(/[^A-Za-z ]/g, '').toLowerCase().replace(' ', '.')}.${i}@${customer.domain}`;
      const locale = i % 2 === 0 ? 'es' : 'en';
      await call(stack, stack.adminToken, 'POST', `/api/v1/customers/${customer.id}/contacts`, { name, email, locale });
      contacts.push({ customerId: customer.id, name, email, locale });
    }
  }
  return contacts;
}

// ---- phase 1: e-mail in -------------------------------------------------------------------------

interface SentMail {
  messageId: string;
  contact: Contact;
  /** Date.now() when the client read the listener's 250. */
  acceptedAt?: number;
  inboundId?: string;
  refusal?: string;
  measured: boolean;
  /** performance.now() when the client handed it over, and when the 250 came back (the SMTP exchange). */
  startedAt: number;
  /** Date.now() when it was handed to the client: before its end of DATA, whatever the client's pool did. */
  handedAt: number;
  answeredAfter?: number;
  /** The server's 250 line. */
  response?: string;
}

/** The sending MTA: nodemailer's pool of BENCH_SMTP_CONNECTIONS kept-open connections. */
function smtpClient(port: number) {
  return createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

/** A new mail from a random contact (the intake bench's texts), handed to the client now; settles with its 250 or its refusal. */
async function sendNewMail(transport: ReturnType<typeof smtpClient>, contacts: Contact[], localPart: string, measured: boolean, track: (mail: SentMail) => void): Promise<SentMail> {
  const contact = contacts[Math.floor(Math.random() * contacts.length)];
  const { subject, description } = ticketText(contact.locale === 'es');
  const mail: SentMail = { messageId: `<${localPart}@mail.${contact.email.split('@')[1]}>`, contact, measured, startedAt: performance.now(), handedAt: Date.now() };
  track(mail);
  try {
    const info = await transport.sendMail({
      envelope: { from: contact.email, to: [SUPPORT_ADDRESS] },
      from: { name: contact.name, address: contact.email },
      to: SUPPORT_ADDRESS,
      subject,
      text: description,
      messageId: mail.messageId,
    });
    mail.acceptedAt = Date.now();
    mail.answeredAfter = performance.now() - mail.startedAt;
    mail.response = info.response;
  } catch (error) {
    mail.refusal = error instanceof Error ? error.message : String(error);
  }
  return mail;
}

/** Answered mails per second, from the first scheduled send to the last `250` read. */
function acceptedPerSecond(mails: SentMail[], t0: number): number {
  const answered = mails.filter((m) => m.answeredAfter !== undefined);
  const last = Math.max(...answered.map((m) => m.startedAt + m.answeredAfter!));
  return answered.length === 0 ? 0 : Math.round((answered.length / ((last - t0) / 1000)) * 10) / 10;
}

interface InboundResult {
  ok: boolean;
  figures: string[];
  tickets: Array<{ id: string; contact: Contact }>;
  report: Record<string, unknown>;
}

/** Live `ticket.created` events: each ticket's publish time, which its worker stamps right after the commit. */
async function liveTicketTimes(stack: BenchStack): Promise<{ times: Map<string, number>; close: () => Promise<void> }> {
  const times = new Map<string, number>();
  const subscriber = new Redis({ ...redisOptionsFromUrl(stack.redisUrl), connectionName: 'bench-email-live' });
  subscriber.on('message', (_channel: string, message: string) => {
    const event = JSON.parse(message) as LiveEvent;
    if (event.type === 'ticket.created') times.set((event.data as { id: string }).id, Date.parse(event.at));
  });
  await subscriber.subscribe(liveEventsChannel(QUEUE_PREFIX));
  return { times, close: async () => void (await subscriber.quit().catch(() => undefined)) };
}

/** The stack's processes by name: the api, Redis, the worker and mail-in (the listener). */
const appPids = (stack: BenchStack, worker: RunningWorker, listener: RunningWorker) => ({ api: stack.api.pid, worker: worker.child.pid, 'mail-in': listener.child.pid });

async function phaseIn(stack: BenchStack, pg: Client, worker: RunningWorker, listener: RunningWorker, sink: CountingSink, inboundPort: number, contacts: Contact[]): Promise<InboundResult> {
  const run = randomBytes(4).toString('hex');
  const transport = smtpClient(inboundPort);
  const live = await liveTicketTimes(stack);
  const sent: SentMail[] = [];
  const sendOne = async (measured: boolean) => {
    const mail = await sendNewMail(transport, contacts, `bench.${run}.${sent.length}`, measured, (m) => sent.push(m));
    mail.inboundId = /accepted as ([0-9a-f-]{36})/.exec(mail.response ?? '')?.[1];
  };

  try {
    if (WARMUP > 0) {
      say(`phase in: warm-up, ${WARMUP} s at ${RATE}/s (not measured) …`);
      await paced(RATE, WARMUP, () => sendOne(false));
    }
    say(`phase in: ${RATE} new mails/s from ${contacts.length} contacts for ${DURATION} s over ${SMTP_CONNECTIONS} SMTP connections …`);
    const machineBefore = machineDescription();
    const clients = appPids(stack, worker, listener);
    const cpuNow = () => cpuSnapshotOf(stack, { ...clients, redis: stack.redisPid });
    const rssIdle = { worker: procStatus(worker.child.pid!, 'VmRSS'), 'mail-in': procStatus(listener.child.pid!, 'VmRSS') };
    const rssPeak = { worker: rssSampler(worker.child.pid!), 'mail-in': rssSampler(listener.child.pid!) };
    const pg0 = await backendSnapshot(pg, stack.postgresDataDir, clients);
    const redis0 = await redisCommandCounts(stack.redisUrl);
    const walStart = PG_WAL ? (await pg.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows[0].lsn : '';
    const tally = REDIS_MONITOR ? await monitorRedis(redisOptionsFromUrl(stack.redisUrl), QUEUE_PREFIX) : undefined;
    const cpu0 = cpuNow();
    const waits = PG_WAITS ? waitSampler(stack.databaseUrl, 20) : undefined;
    const pace = await paced(RATE, DURATION, () => sendOne(true));
    const cpuSend = cpuNow();
    if (waits) say(`phase in: ${await waits.stop()}`);
    const accepted = sent.filter((m) => m.acceptedAt !== undefined);
    const acceptedIds = accepted.map((m) => m.inboundId).filter((id): id is string => id !== undefined);
    say(`phase in: ${pace.sent} sent at ${pace.achieved.toFixed(1)}/s; waiting for every accepted message to be processed …`);
    await until('the inbound messages', async () => {
      const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages WHERE id = ANY($1::uuid[]) AND status = 'received'`, [acceptedIds]);
      return rows[0].n === 0;
    });
    const doneAt = performance.now();
    const cpuDone = cpuNow();
    const rss = { worker: rssPeak.worker.stop().peakRss, 'mail-in': rssPeak['mail-in'].stop().peakRss };
    const pgDone = await backendSnapshot(pg, stack.postgresDataDir, clients);
    const machineAfter = machineDescription();

    const verification = await verifyInbound(pg, sent, run);
    const ticketOf = new Map(verification.tickets.map((t) => [t.externalId, t]));
    // The acknowledgements: each ticket's `ticket_received` mail at the sink, once.
    const ackIds = verification.tickets.map((t) => notificationMessageId(t.id, 'received', MAIL_DOMAIN));
    await until('the acknowledgements', async () => ackIds.every((id) => sink.count(id) >= 1));
    await until('the acknowledgements marked sent', async () => {
      const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_messages WHERE ticket_id = ANY($1::uuid[]) AND kind = 'ticket_received' AND status <> 'sent'`, [verification.tickets.map((t) => t.id)]);
      return rows[0].n === 0;
    });
    // Every job of the phase has finished (the acknowledgements are marked sent): what Redis ran for them, and the CPU.
    const cpuAcknowledged = cpuNow();
    const walEnd = PG_WAL ? (await pg.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows[0].lsn : '';
    const redisCommands = redisCommandsPerItem(redis0, await redisCommandCounts(stack.redisUrl), pace.sent);
    const redisBySender = tally ? await tally.stop(pace.sent) : undefined;
    const acksOnce = ackIds.filter((id) => sink.count(id) === 1).length;
    verification.check(acksOnce === ackIds.length, `${acksOnce} of ${ackIds.length} acknowledgements reached the sink exactly once (${ackIds.filter((id) => sink.count(id) === 0).length} never, ${ackIds.filter((id) => sink.count(id) > 1).length} more than once)`);

    const latency = inboundLatencies(accepted.filter((m) => m.measured), ticketOf, live.times);
    const smtp = spread(accepted.filter((m) => m.measured).map((m) => m.answeredAfter!));
    const refused = sent.filter((m) => m.refusal);
    // The listener may commit the ticket before it answers 250 (then the first figure is negative):
    // the target is checked on the bound that holds either way, from handing the mail to the client.
    const p99 = latency.fromHandOver.p99;
    const report = {
      phase: 'in',
      rate: RATE,
      durationSeconds: DURATION,
      smtpConnections: SMTP_CONNECTIONS,
      sent: pace.sent,
      achievedPerSecond: Math.round(pace.achieved * 10) / 10,
      acceptedPerSecond: acceptedPerSecond(sent.filter((m) => m.measured), pace.t0),
      accepted: accepted.filter((m) => m.measured).length,
      refused: refused.length,
      dataEndToCommittedMs: latency.committed,
      handedOverToCommittedMs: latency.fromHandOver,
      committedBeforeThe250: latency.before250,
      dataEndToCreatedAtMs: latency.createdAt,
      withoutLiveEvent: latency.withoutLiveEvent,
      drainSecondsAfterLastSend: Math.round((doneAt - pace.sendEnd) / 100) / 10,
      smtpExchangeMs: smtp,
      cpuCoresWhileSending: cpuBetween(cpu0, cpuSend),
      cpuCoresUntilDone: cpuBetween(cpu0, cpuDone),
      cpuMsPerMailUntilDone: cpuMsPerMail(cpu0, cpuDone, pace.sent),
      cpuMsPerMailUntilAcknowledged: cpuMsPerMail(cpu0, cpuAcknowledged, pace.sent),
      postgres: postgresPerReply(backendsBetween(pg0, pgDone), pace.sent),
      redisCommandsPerMail: redisCommands,
      rssBeforeMiB: Object.fromEntries(Object.entries(rssIdle).map(([k, v]) => [k, Math.round(v / 1048576)])),
      rssPeakMiB: Object.fromEntries(Object.entries(rss).map(([k, v]) => [k, Math.round(v / 1048576)])),
      verified: verification.ok,
    };
    const figures = [
      `phase in: ${pace.sent} mails scheduled at ${RATE}/s, sent at ${pace.achieved.toFixed(1)}/s (scheduler lateness p50 ${ms(pace.lateness.p50)}, p99 ${ms(pace.lateness.p99)}); ${report.accepted} answered 250, ${refused.length} refused or failed${refused[0] ? ` (e.g. ${refused[0].refusal!.slice(0, 200)})` : ''}`,
      `phase in: answered 250 at ${report.acceptedPerSecond}/s (from the first send to the last 250); the SMTP exchange (handed to the client's pool → 250 read, queueing for a connection included): ${spreadText(smtp)}`,
      `phase in: 250 read by the client → ticket committed (the worker's post-commit live event; negative: committed before the answer, ${latency.before250} of ${latency.committed.n}): ${spreadText(latency.committed)}`,
      `phase in: mail handed to the client (before its end of DATA: an upper bound) → ticket committed: ${spreadText(latency.fromHandOver)} [target end of DATA → stored p99 < ${TARGET_INBOUND_P99_MS} ms: ${p99 < TARGET_INBOUND_P99_MS ? 'met' : 'MISSED'}]`,
      `phase in: end of DATA → tickets.created_at (the ticket transaction's start, a lower bound): ${spreadText(latency.createdAt)}; ${latency.withoutLiveEvent} tickets without a live event`,
      `phase in: the last ticket was done ${report.drainSecondsAfterLastSend} s after the last send`,
      `phase in: CPU cores while sending ${JSON.stringify(report.cpuCoresWhileSending)}; until all processed ${JSON.stringify(report.cpuCoresUntilDone)}`,
      `phase in: CPU ms per mail sent (from the first send until all processed ÷ mails; total: the stack's and the bench's, machineBusy: the whole machine's) ${JSON.stringify(report.cpuMsPerMailUntilDone)}; until every acknowledgement was marked sent ${JSON.stringify(report.cpuMsPerMailUntilAcknowledged)}`,
      `phase in: PostgreSQL until all processed, by the client its backends serve: CPU ms per mail ${JSON.stringify(report.postgres.cpuMsPerReply)}; ${report.postgres.commitsPerReply} commits per mail; ${report.postgres.sessionsStarted} backends started, ${report.postgres.autovacuums} autovacuum/autoanalyze runs`,
      `phase in: Redis commands per mail, from the first send until every acknowledgement was marked sent (INFO commandstats; a script's own commands counted, with the warm-up's stragglers): ${JSON.stringify(redisCommands)}`,
      `phase in: RSS before the phase (after the warm-up) ${JSON.stringify(report.rssBeforeMiB)} MiB, peak until all processed (VmHWM: since the start) ${JSON.stringify(report.rssPeakMiB)} MiB`,
      `phase in: machine before: ${machineBefore}`,
      `phase in: machine after: ${machineAfter}`,
      ...verification.lines,
    ];
    for (const r of redisBySender ?? []) {
      figures.push(`phase in Redis by sender: ${r.perItem.toFixed(3).padStart(7)} calls/mail (+${r.scriptCommandsPerItem.toFixed(2)} inside)  ${r.client}  ${r.command}  ${r.queue}`);
    }
    if (PG_WAL) for (const line of await walPerItem(pg, walStart, walEnd, pace.sent)) figures.push(`phase in ${line}`);
    if (PG_STATEMENTS) {
      const statements = await statementsPerItem(pg, pace.sent, 30);
      figures.push(
        `phase in: statements per mail (top level, every client: the listener, triage, the sender): ${statements.callsPerItem.toFixed(2)} calls, ${statements.execMsPerItem.toFixed(2)} ms of execution, ` +
          `${statements.plansPerItem.toFixed(2)} plans (${statements.planMsPerItem.toFixed(2)} ms of planning), ` +
          `${Math.round(statements.walBytesPerItem)} WAL bytes, ${statements.blocksHitPerItem.toFixed(0)} shared blocks hit and ${statements.blocksDirtiedPerItem.toFixed(1)} dirtied`,
      );
      for (const line of statements.lines) figures.push(`phase in statement: ${line}`);
    }
    figures.forEach((f) => say(f));
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`);
    const contactOf = new Map(sent.map((m) => [m.messageId, m.contact]));
    const tickets = verification.tickets.map((t) => ({ id: t.id, contact: contactOf.get(t.externalId)! }));
    return { ok: verification.ok, figures, tickets, report };
  } finally {
    transport.close();
    await live.close();
  }
}

/**
 * The ticket's "stored" moment is the worker's own clock right after its transaction committed (the
 * `ticket.created` live event it publishes then): `tickets.created_at` is the transaction's start,
 * before the commit's fsync, so it would flatter the figure. Both clocks are this machine's.
 */
function inboundLatencies(accepted: SentMail[], ticketOf: Map<string, { id: string; createdAt: number }>, committed: Map<string, number>) {
  const toCommit: number[] = [];
  const fromHandOver: number[] = [];
  const toCreatedAt: number[] = [];
  let withoutLiveEvent = 0;
  let before250 = 0;
  for (const mail of accepted) {
    const ticket = ticketOf.get(mail.messageId);
    if (!ticket) continue;
    toCreatedAt.push(ticket.createdAt - mail.acceptedAt!);
    const at = committed.get(ticket.id);
    if (at === undefined) withoutLiveEvent++;
    else {
      toCommit.push(at - mail.acceptedAt!);
      fromHandOver.push(at - mail.handedAt);
      if (at <= mail.acceptedAt!) before250++;
    }
  }
  return { committed: spread(toCommit), fromHandOver: spread(fromHandOver), createdAt: spread(toCreatedAt), withoutLiveEvent, before250 };
}

interface InboundVerification {
  ok: boolean;
  lines: string[];
  check: (good: boolean, line: string) => void;
  tickets: Array<{ id: string; externalId: string; createdAt: number }>;
}

/** Every accepted message is one stored message that became exactly one ticket of its contact's customer, none missing, none twice. */
async function verifyInbound(pg: Client, sent: SentMail[], run: string): Promise<InboundVerification> {
  const lines: string[] = [];
  const v: InboundVerification = {
    ok: true,
    lines,
    tickets: [],
    check: (good, line) => {
      v.ok &&= good;
      lines.push(`${good ? 'ok  ' : 'FAIL'} ${line}`);
    },
  };
  const accepted = sent.filter((m) => m.acceptedAt !== undefined);
  const unanswered = sent.filter((m) => m.acceptedAt === undefined);
  const { rows: inbound } = await pg.query<{ id: string; status: string; message_id: string | null; customer_id: string | null }>(
    `SELECT id, status, message_id, customer_id FROM inbound_messages WHERE id = ANY($1::uuid[])`,
    [accepted.map((m) => m.inboundId).filter(Boolean)],
  );
  const byInbound = new Map(inbound.map((r) => [r.id, r]));
  const { rows: tickets } = await pg.query<{ id: string; external_id: string; customer_id: string; channel: string; created_at: Date }>(
    `SELECT id, external_id, customer_id, channel, created_at FROM tickets WHERE external_id LIKE $1`,
    [`<bench.${run}.%`],
  );
  const ticketsOf = new Map<string, typeof tickets>();
  for (const t of tickets) ticketsOf.set(t.external_id, [...(ticketsOf.get(t.external_id) ?? []), t]);

  const withId = accepted.filter((m) => m.inboundId && byInbound.get(m.inboundId)?.message_id === m.messageId).length;
  v.check(withId === accepted.length, `${withId} of ${accepted.length} accepted messages are stored under the id their 250 named, with their Message-ID`);
  const statuses = new Map<string, number>();
  for (const r of inbound) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  v.check((statuses.get('ticket') ?? 0) === accepted.length, `outcomes of the accepted messages: ${JSON.stringify(Object.fromEntries(statuses))}`);
  const once = accepted.filter((m) => ticketsOf.get(m.messageId)?.length === 1).length;
  const missing = accepted.filter((m) => !ticketsOf.has(m.messageId)).length;
  const twice = accepted.filter((m) => (ticketsOf.get(m.messageId)?.length ?? 0) > 1).length;
  v.check(once === accepted.length, `${once} of ${accepted.length} accepted messages are exactly one ticket (externalId = Message-ID): ${missing} missing, ${twice} more than once`);
  const right = accepted.filter((m) => {
    const [t] = ticketsOf.get(m.messageId) ?? [];
    return t && t.customer_id === m.contact.customerId && t.channel === 'email';
  }).length;
  v.check(right === accepted.length, `${right} of ${accepted.length} tickets are the sender's customer's, channel email`);
  // A message the client got no 250 for may still have been committed (the answer was lost): at most one ticket then.
  const fromUnanswered = unanswered.filter((m) => ticketsOf.has(m.messageId)).length;
  const unansweredTwice = unanswered.filter((m) => (ticketsOf.get(m.messageId)?.length ?? 0) > 1).length;
  v.check(unansweredTwice === 0, `${unanswered.length} messages without a 250: ${fromUnanswered} became a ticket anyway (answer lost), none twice (${unansweredTwice})`);
  const known = new Set(sent.map((m) => m.messageId));
  const strays = tickets.filter((t) => !known.has(t.external_id)).length;
  v.check(strays === 0, `no ticket of this run without a sent message (${strays})`);
  v.tickets = tickets.map((t) => ({ id: t.id, externalId: t.external_id, createdAt: new Date(t.created_at).getTime() }));
  return v;
}

// ---- the bare references ----------------------------------------------------------------------------

/**
 * The same mails at the same rate over the same client connections to a bare SMTP server
 * (bare-smtp-reference.ts) in its own process: `discard` answers 250 at the end of DATA, `store`
 * after committing the raw message in PostgreSQL. What this machine allows the listener.
 */
async function smtpReference(stack: BenchStack, pg: Client, mode: 'discard' | 'store', contacts: Contact[]): Promise<string[]> {
  const port = await freePort();
  const child = fork(join(__dirname, 'bare-smtp-reference.js'), [], {
    env: { ...process.env, BARE_SMTP_PORT: String(port), BARE_SMTP_MODE: mode, DATABASE_URL: stack.databaseUrl, BARE_POOL_SIZE: '20' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const transport = smtpClient(port);
  try {
    await new Promise<void>((ready, fail) => {
      child.once('message', () => ready());
      child.once('exit', (code) => fail(new Error(`the bare SMTP reference exited (${code}) before it listened`)));
    });
    const sent: SentMail[] = [];
    const run = randomBytes(4).toString('hex');
    if (WARMUP > 0) await paced(RATE, WARMUP, async () => void (await sendNewMail(transport, contacts, `ref.${run}.${sent.length}`, false, (m) => sent.push(m))));
    say(`reference ${mode}: ${RATE} mails/s for ${DURATION} s over ${SMTP_CONNECTIONS} SMTP connections …`);
    const machineBefore = machineDescription();
    const cpu0 = cpuSnapshotOf(stack, { reference: child.pid });
    const pace = await paced(RATE, DURATION, async () => void (await sendNewMail(transport, contacts, `ref.${run}.${sent.length}`, true, (m) => sent.push(m))));
    const cores = cpuBetween(cpu0, cpuSnapshotOf(stack, { reference: child.pid }));
    const measured = sent.filter((m) => m.measured);
    const answered = measured.filter((m) => m.answeredAfter !== undefined);
    const report = {
      phase: `reference-${mode}`,
      rate: RATE,
      durationSeconds: DURATION,
      smtpConnections: SMTP_CONNECTIONS,
      sent: pace.sent,
      accepted: answered.length,
      acceptedPerSecond: acceptedPerSecond(measured, pace.t0),
      smtpExchangeMs: spread(answered.map((m) => m.answeredAfter!)),
      cpuCores: cores,
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`);
    const refused = measured.length - answered.length;
    const lines = [
      `reference ${mode} (bare smtp-server${mode === 'store' ? ', raw message committed before the 250' : ', nothing kept'}): ${answered.length} of ${pace.sent} answered 250${refused ? ` (${refused} refused)` : ''} at ${report.acceptedPerSecond}/s (from the first send to the last 250); SMTP exchange ${spreadText(report.smtpExchangeMs)}`,
      `reference ${mode}: CPU cores ${JSON.stringify(cores)}; machine before: ${machineBefore}, after: ${machineDescription()}`,
    ];
    lines.forEach((l) => say(l));
    return lines;
  } finally {
    transport.close();
    child.kill('SIGTERM');
    if (mode === 'store') await pg.query(`DROP TABLE IF EXISTS bench_bare_inbound`).catch(() => undefined);
  }
}

// ---- phase 2: e-mail out ------------------------------------------------------------------------

/** `BENCH_PHASES=out` alone: e-mail tickets to reply on, filed through the API as an agent would (channel email, a contact as requester). */
const OUT_ONLY_TICKETS = 200;

async function fileEmailTickets(stack: BenchStack, contacts: Contact[], count: number): Promise<InboundResult['tickets']> {
  const tickets: InboundResult['tickets'] = [];
  for (let i = 0; i < count; i++) {
    const contact = contacts[i % contacts.length];
    const { subject, description } = ticketText(contact.locale === 'es');
    const ticket = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/tickets', {
      customerId: contact.customerId,
      subject,
      description,
      channel: 'email',
      requester: { name: contact.name, email: contact.email },
    });
    tickets.push({ id: ticket.id, contact });
  }
  return tickets;
}

async function phaseOut(stack: BenchStack, pg: Client, worker: RunningWorker, sink: CountingSink, tickets: InboundResult['tickets']): Promise<{ ok: boolean; figures: string[]; replies: number }> {
  if (tickets.length === 0) throw new Error('phase out needs the tickets of phase in');
  const replies: Array<{ ticketId: string; messageId?: string; answeredAt?: number; failure?: string }> = [];
  say(`phase out: ${NOTIFY_RATE} public replies/s for ${NOTIFY_DURATION} s on ${tickets.length} e-mail tickets …`);
  const machineBefore = machineDescription();
  const clients = { api: stack.api.pid, worker: worker.child.pid };
  const pg0 = await backendSnapshot(pg, stack.postgresDataDir, clients);
  const cpu0 = cpuSnapshot(stack, [worker]);
  const pace = await paced(NOTIFY_RATE, NOTIFY_DURATION, async (i) => {
    const ticket = tickets[i % tickets.length];
    const reply: (typeof replies)[number] = { ticketId: ticket.id };
    replies.push(reply);
    const body = JSON.stringify({ body: `${ticket.contact.locale === 'es' ? 'Respuesta' : 'Reply'} ${i}: ${ticketText(ticket.contact.locale === 'es').description}`, visibility: 'public' });
    try {
      const { status, text } = await postJson(`${stack.apiUrl}/api/v1/tickets/${ticket.id}/comments`, stack.adminToken, body);
      if (status !== 201) throw new Error(`${status} ${text.slice(0, 200)}`);
      reply.answeredAt = Date.now();
      reply.messageId = notificationMessageId(ticket.id, `comment-${(JSON.parse(text) as { id: string }).id}`, MAIL_DOMAIN);
    } catch (error) {
      reply.failure = error instanceof Error ? error.message : String(error);
    }
  });
  const cpuSend = cpuSnapshot(stack, [worker]);
  const made = replies.filter((r) => r.messageId !== undefined);
  say(`phase out: ${pace.sent} replies at ${pace.achieved.toFixed(1)}/s; waiting for their mails …`);
  await until('the reply mails at the sink', async () => made.every((r) => sink.count(r.messageId!) >= 1));
  const cpuDelivered = cpuSnapshot(stack, [worker]);
  const pgDelivered = await backendSnapshot(pg, stack.postgresDataDir, clients);
  // Once every row is `sent`, no job will send one again: the sink's counts are final.
  await until('the reply mails marked sent', async () => {
    const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_messages WHERE message_id = ANY($1) AND status = 'sent'`, [made.map((r) => r.messageId)]);
    return rows[0].n === made.length;
  });
  const machineAfter = machineDescription();

  const lines: string[] = [];
  let ok = true;
  const check = (good: boolean, line: string) => {
    ok &&= good;
    lines.push(`${good ? 'ok  ' : 'FAIL'} ${line}`);
  };
  const failures = replies.filter((r) => r.failure);
  check(failures.length === 0, `${made.length} of ${replies.length} replies answered 201${failures[0] ? ` (e.g. ${failures[0].failure})` : ''}`);
  const once = made.filter((r) => sink.count(r.messageId!) === 1).length;
  check(once === made.length, `${once} of ${made.length} reply mails reached the sink exactly once by Message-ID (${made.filter((r) => sink.count(r.messageId!) === 0).length} never, ${made.filter((r) => sink.count(r.messageId!) > 1).length} more than once)`);
  const { rows: stored } = await pg.query<{ n: number; recipients_right: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE o.recipient = t.requester_email)::int AS recipients_right
       FROM outbound_messages o JOIN tickets t ON t.id = o.ticket_id WHERE o.message_id = ANY($1) AND o.kind = 'public_reply'`,
    [made.map((r) => r.messageId)],
  );
  check(stored[0].n === made.length && stored[0].recipients_right === made.length, `${stored[0].n} public_reply rows for ${made.length} replies, ${stored[0].recipients_right} to the ticket's requester`);
  const expected = new Set([...made.map((r) => r.messageId!)]);
  const strays = [...sink.arrivals.keys()].filter((id) => !expected.has(id) && !/\.received@/.test(id)).length;
  check(strays === 0 && sink.withoutMessageId === 0, `no other mail at the sink (${strays} unexpected Message-IDs, ${sink.withoutMessageId} without one)`);

  const arrivals = made.map((r) => sink.arrivals.get(r.messageId!)?.[0]).filter((at): at is number => at !== undefined);
  const latency = spread(made.filter((r) => sink.count(r.messageId!) > 0).map((r) => sink.arrivals.get(r.messageId!)![0] - r.answeredAt!));
  const wallStart = pace.t0 - performance.now() + Date.now();
  const lastArrival = Math.max(...arrivals);
  const deliveredRate = arrivals.length / ((lastArrival - wallStart) / 1000);
  const sendWindowEnd = pace.sendEnd - performance.now() + Date.now();
  const inWindow = arrivals.filter((at) => at <= sendWindowEnd).length / ((sendWindowEnd - wallStart) / 1000);
  const report = {
    phase: 'out',
    rate: NOTIFY_RATE,
    durationSeconds: NOTIFY_DURATION,
    replies: made.length,
    sentPerSecond: Math.round(pace.achieved * 10) / 10,
    deliveredPerSecond: Math.round(deliveredRate * 10) / 10,
    deliveredPerSecondWhileSending: Math.round(inWindow * 10) / 10,
    replyToDeliveredMs: latency,
    cpuCoresWhileSending: cpuBetween(cpu0, cpuSend),
    cpuCoresUntilDelivered: cpuBetween(cpu0, cpuDelivered),
    postgres: postgresPerReply(backendsBetween(pg0, pgDelivered), made.length),
    verified: ok,
  };
  const figures = [
    `phase out: ${made.length} replies POSTed at ${pace.achieved.toFixed(1)}/s (scheduler lateness p99 ${ms(pace.lateness.p99)}); delivered ${deliveredRate.toFixed(1)}/s from the first send to the last delivery, ${inWindow.toFixed(1)}/s while sending [target ${TARGET_RATE}/s: ${deliveredRate >= TARGET_RATE * 0.98 ? 'met' : 'MISSED'}]`,
    `phase out: reply answered 201 → delivered at the sink: ${spreadText(latency)}`,
    `phase out: CPU cores while sending ${JSON.stringify(report.cpuCoresWhileSending)}; until all delivered ${JSON.stringify(report.cpuCoresUntilDelivered)}`,
    `phase out: PostgreSQL until all delivered, by the client its backends serve: cores ${JSON.stringify(report.postgres.cores)}; CPU ms per reply ${JSON.stringify(report.postgres.cpuMsPerReply)}; ${report.postgres.commitsPerReply} commits per reply; ${report.postgres.sessionsStarted} backends started, ${report.postgres.autovacuums} autovacuum/autoanalyze runs`,
    `phase out: machine before: ${machineBefore}`,
    `phase out: machine after: ${machineAfter}`,
    ...lines,
  ];
  if (PG_STATEMENTS) {
    const statements = await statementsPerItem(pg, made.length);
    figures.push(`phase out: statements per reply (top level, both apps): ${statements.callsPerItem.toFixed(2)} calls, ${statements.execMsPerItem.toFixed(2)} ms of execution; ${statements.plansPerItem.toFixed(2)} plans made, ${statements.planMsPerItem.toFixed(2)} ms of planning`);
    for (const line of statements.lines) figures.push(`phase out statement: ${line}`);
  }
  if (SEND_REFERENCE) figures.push(...(await sendReference(pg, sink, made.map((r) => r.messageId!))));
  figures.forEach((f) => say(f));
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(report)}\n`);
  return { ok, figures, replies: made.length };
}

/** Redis's calls per command so far (INFO commandstats; the commands a Lua script runs are counted too). */
async function redisCommandCounts(url: string): Promise<Record<string, number>> {
  const client = new Redis({ ...redisOptionsFromUrl(url), connectionName: 'bench-email-commandstats', lazyConnect: true });
  try {
    await client.connect();
    return redisCommandCalls(await client.info('commandstats'));
  } finally {
    client.disconnect();
  }
}

/**
 * Redis's commands per item between two counts: all of them, and the eight that took the most (the
 * scripts run — BullMQ's job moves, one `evalsha` a round trip — among them; this client's connection
 * is a few commands in all, not per item).
 */
function redisCommandsPerItem(before: Record<string, number>, after: Record<string, number>, items: number): Record<string, number> {
  const { total, top } = perJob(before, after, Math.max(1, items), 8);
  return { all: total, ...Object.fromEntries(top) };
}

/** CPU ms a mail by part (cpuMsPerRequest), and the whole machine's (`machineBusy`: on a quiet machine, about `total`). */
function cpuMsPerMail(a: CpuSnapshot, b: CpuSnapshot, mails: number): Record<string, number> {
  return { ...cpuMsPerRequest(a, b, mails), machineBusy: Math.round(((b.machine.busy - a.machine.busy) * 1000 * 100) / Math.max(1, mails)) / 100 };
}

function postgresPerReply(used: ReturnType<typeof backendsBetween>, replies: number) {
  const n = Math.max(1, replies);
  return {
    cores: used.cores,
    cpuMsPerReply: Object.fromEntries(Object.entries(used.cpuSeconds).map(([name, s]) => [name, Math.round((s * 1000 * 100) / n) / 100])),
    commitsPerReply: Math.round((used.commits / n) * 100) / 100,
    /** Backends started (a pool opening connections) and autovacuum/autoanalyze runs: what `ended` CPU was spent on. */
    sessionsStarted: used.sessions,
    autovacuums: used.autovacuums,
  };
}

/**
 * The sending ceiling: nodemailer alone, the worker's pool settings (8 connections, 16 messages in
 * flight), sending the phase's stored mails (same recipients, subjects, bodies, headers) to the same
 * sink, under other Message-IDs, after the phase's checks. No PostgreSQL, no BullMQ: what SMTP to
 * this sink costs on this machine.
 */
async function sendReference(pg: Client, sink: CountingSink, messageIds: string[]): Promise<string[]> {
  const { rows } = await pg.query<{ kind: string; recipient: string; message_id: string; in_reply_to: string | null; references: string[]; subject: string; body: string; auto_submitted: boolean }>(
    `SELECT kind, recipient, message_id, in_reply_to, "references", subject, body, auto_submitted FROM outbound_messages WHERE message_id = ANY($1)`,
    [messageIds],
  );
  const transport = createTransport({ url: sink.url, pool: true, maxConnections: 8, maxMessages: 1000 });
  const inFlight = 16;
  let next = 0;
  const before = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < rows.length) {
        const row = rows[next++];
        await transport.sendMail({
          from: `Soporte <${SUPPORT_ADDRESS}>`,
          to: row.recipient,
          subject: row.subject,
          text: row.body,
          messageId: row.message_id.replace('<hd.', '<reference.'),
          inReplyTo: row.in_reply_to ?? undefined,
          references: row.references,
          headers: { ...(row.auto_submitted ? { 'Auto-Submitted': 'auto-generated' } : {}), 'X-Helpdesk-Notification': row.kind },
        });
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(before);
  transport.close();
  const arrived = rows.filter((r) => sink.count(r.message_id.replace('<hd.', '<reference.')) >= 1).length;
  return [
    `phase out reference: nodemailer alone (pool of 8, 16 in flight) sent the phase's ${rows.length} stored mails to the same sink in ${seconds.toFixed(2)} s: ${(rows.length / seconds).toFixed(1)}/s, ${arrived} arrived; the bench process (client and sink) used ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores`,
  ];
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  say(`machine: ${machineDescription()}`);
  const sink = new CountingSink(await freePort());
  await sink.start();
  const inboundPort = await freePort();
  let worker: RunningWorker | undefined;
  let listener: RunningWorker | undefined;
  let pg: Client | undefined;
  const figures: string[] = [];
  runBench(
    { name: 'email', apiEnv: { MAIL_DOMAIN } },
    async (stack) => {
      pg = new Client({ connectionString: stack.databaseUrl, application_name: 'bench-email' });
      pg.on('error', () => undefined);
      await pg.connect();
      const contacts = await seedContacts(stack);
      say(`seeded ${CUSTOMERS} customers with ${contacts.length} contacts (half es, half en); sink on ${sink.url}, inbound SMTP on ${inboundPort}`);
      worker = await startBenchWorker(stack, 'worker', { MAIL_DOMAIN, SMTP_URL: sink.url });
      listener = await startBenchMailIn(stack, { MAIL_DOMAIN, SMTP_URL: sink.url, INBOUND_SMTP_PORT: String(inboundPort) });
      let ok = true;
      let tickets: InboundResult['tickets'] = [];
      if (PHASES.has('in')) {
        if (PG_STATEMENTS) await resetStatementStats(pg);
        const inbound = await phaseIn(stack, pg, worker, listener, sink, inboundPort, contacts);
        figures.push(...inbound.figures);
        ok &&= inbound.ok;
        tickets = inbound.tickets;
        if (PG_STATEMENTS) for (const line of await statementStats(pg, inbound.tickets.length, 'mail in')) say(line);
        for (const mode of REFERENCES) figures.push(...(await smtpReference(stack, pg, mode, contacts)));
      } else if (PHASES.has('out')) {
        tickets = await fileEmailTickets(stack, contacts, OUT_ONLY_TICKETS);
        say(`phase out alone: ${tickets.length} e-mail tickets filed through the API (no acknowledgements) to reply on`);
      }
      if (PHASES.has('out')) {
        await sleep(2000);
        if (PG_STATEMENTS) await resetStatementStats(pg);
        const outbound = await phaseOut(stack, pg, worker, sink, tickets);
        figures.push(...outbound.figures);
        ok &&= outbound.ok;
        if (PG_STATEMENTS) for (const line of await statementStats(pg, outbound.replies, 'mail out')) say(line);
      }
      if (!ok) say('VERIFICATION FAILED');
      return ok;
    },
    {
      cleanup: async () => {
        await pg?.end().catch(() => undefined);
        for (const [name, app] of [['mail-in', listener], ['worker', worker]] as const) {
          if (!app) continue;
          await stopBenchWorker(app);
          const errors = readFileSync(app.log, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
          if (errors.length) say(`${name} log has ${errors.length} error lines, e.g. ${errors[0].slice(0, 300)}`);
        }
        await sink.stop();
      },
      after: () => {
        say(`machine after: ${machineDescription()}`);
        say('summary:');
        for (const f of figures) process.stdout.write(`  ${f}\n`);
      },
    },
  );
}

void main();
