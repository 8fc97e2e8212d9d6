/**
 * `npm run bench:triage`: how fast the BUILT worker triages tickets, with 50 enabled triage rules
 * and 2,000 known issues.
 *
 * Phase 1 (throughput): BENCH_TICKETS (default 20,000) tickets are written with SQL exactly as
 * intake writes them (ticket + `created` event + outbox row, in one statement per batch) while no
 * worker runs; then the worker starts and the time until every ticket has left `new` is measured.
 * Phase 2 (latency): with the worker running, tickets are POSTed through the API at a steady
 * BENCH_RATE per second (default 200) for BENCH_RATE_DURATION seconds (default 20) by an open-loop
 * paced scheduler; after all are triaged, intake→triaged latency = tickets.triaged_at −
 * tickets.created_at is read from PostgreSQL (p50/p99/max). Each phase also gives every worker's peak
 * resident memory (phase 1: since its spawn; phase 2: sampled every 250 ms) and its split at the end.
 *
 * Environment: DATABASE_URL / REDIS_URL (otherwise a throw-away embedded PostgreSQL and local
 * redis-server), BENCH_TICKETS, BENCH_RATE, BENCH_RATE_DURATION, BENCH_WORKERS (worker processes,
 * default 1), BENCH_AGENTS (default 12), BENCH_MAX_OPEN (per agent, default 1000),
 * BENCH_KNOWN_ISSUES (default 2000), BENCH_PHASES (default "1,2"), BENCH_PG_DURABLE=0 (fsync off),
 * BENCH_KEEP_TMP=1 (keep logs and data), BENCH_WORKER_CPU_PROF=1 (CPU profile of the worker),
 * BENCH_PG_STATEMENTS=1 (PostgreSQL's time per statement and ticket, from pg_stat_statements, with
 * each statement's buffers and WAL per ticket). Phase 1 also prints the WAL written per ticket and,
 * per table, the rows inserted and updated (HOT among them) and the autovacuum/autoanalyze runs.
 *
 * The worker sends its mail to an SMTP sink in this process (`smtp-server`, accepts and discards):
 * the "assigned to you" mail of the tickets triage assigns is sent as in production. After each
 * phase the bench waits for every system assignment's mail, prints how many were delivered, when,
 * and the worker's CPU until the last one, and verifies each was delivered exactly once by
 * Message-ID (exit code 1 otherwise). BENCH_MAIL_SINK=0: no SMTP_URL (every send fails and is retried);
 * AUTO_ASSIGNMENT_MAIL_EVERY_MS=3600000 (the job held off): not waited for.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { freePort, SmtpReceiver, startSmtpReceiver } from '@helpdesk/devstack';
import { outboxRowPerRowSql } from '@helpdesk/database';
import { createdEventSql } from '@helpdesk/intake';
import { JOB_NAME, QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import {
  BenchStack,
  call,
  cpuSeconds,
  envNumber,
  helpdeskAgentToken,
  machineCpu,
  machineDescription,
  mib,
  postgresCpuSeconds,
  postJson,
  procStatus,
  resetStatementStats,
  RunningWorker,
  say,
  sleep,
  runBench,
  startBenchWorker,
  statementStats,
  stopBenchWorker,
  tail,
  waitSampler,
} from './bench-stack';
import { ticketRequests } from './ticket-bodies';
import { agentQueues, insertKnownIssues, SUPPORT_PLANS, triageRules } from './triage-fixtures';

const TICKETS = envNumber('BENCH_TICKETS', 20_000);
const RATE = envNumber('BENCH_RATE', 200);
const RATE_DURATION = envNumber('BENCH_RATE_DURATION', 20);
const WORKERS = envNumber('BENCH_WORKERS', 1);
/** 0 = no agent takes any queue (assignment finds nobody and locks nothing). */
const AGENTS = process.env.BENCH_AGENTS === '0' ? 0 : envNumber('BENCH_AGENTS', 12);
const MAX_OPEN = envNumber('BENCH_MAX_OPEN', 1000);
const KNOWN_ISSUES = envNumber('BENCH_KNOWN_ISSUES', 2000);
const CUSTOMERS = envNumber('BENCH_CUSTOMERS', 24);
const MAIL_SINK = process.env.BENCH_MAIL_SINK !== '0';
/** The A/B switch of the job's cost: an hour's schedule (it runs once as the worker starts). */
const MAIL_HELD_OFF = Number(process.env.AUTO_ASSIGNMENT_MAIL_EVERY_MS ?? 0) >= 600_000;
const PHASES = new Set((process.env.BENCH_PHASES ?? '1,2').split(',').map((s) => s.trim()));
/** Share of tickets filed without category / product (portal users rarely choose one). */
const NO_CATEGORY = 0.5;
const NO_PRODUCT = 0.5;

const TARGET_THROUGHPUT = 500;
const TARGET_P99_MS = 1000;

// ---- processes ----------------------------------------------------------------------------------

interface Cpu {
  at: number;
  worker: number;
  api: number;
  postgres: number;
  redis: number;
  machine: number;
}

function cpuNow(stack: BenchStack, workers: RunningWorker[]): Cpu {
  return {
    at: performance.now(),
    worker: workers.reduce((s, w) => s + cpuSeconds(w.child.pid), 0),
    api: cpuSeconds(stack.api.pid),
    postgres: postgresCpuSeconds(stack.postgresDataDir),
    redis: cpuSeconds(stack.redisPid),
    machine: machineCpu().busy,
  };
}

function cpuText(a: Cpu, b: Cpu): string {
  const wall = (b.at - a.at) / 1000;
  const c = (x: number) => (x / wall).toFixed(2);
  const ours = b.worker - a.worker + (b.api - a.api) + (b.postgres - a.postgres) + (b.redis - a.redis);
  const other = Math.max(0, b.machine - a.machine - ours);
  return `CPU cores used — worker ${c(b.worker - a.worker)}, api ${c(b.api - a.api)}, postgres ${c(b.postgres - a.postgres)}, redis ${c(b.redis - a.redis)}, machine total ${c(b.machine - a.machine)} (of which not the stack ≈ ${c(other)})`;
}

// ---- the SMTP sink ------------------------------------------------------------------------------

/** Where the worker's mail goes: accepted and dropped, each Message-ID's arrival times kept. */
class MailSink {
  readonly arrivals = new Map<string, number[]>();
  withoutMessageId = 0;
  private receiver?: SmtpReceiver;
  url = '';

  async start(): Promise<void> {
    const port = await freePort();
    this.receiver = await startSmtpReceiver(port, async (message) => {
      const at = performance.now();
      const raw = message.toString('latin1');
      const headers = raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0);
      const id = /^message-id:\s*(<[^>]+>)/im.exec(headers)?.[1];
      if (!id) this.withoutMessageId++;
      else this.arrivals.set(id, [...(this.arrivals.get(id) ?? []), at]);
    });
    this.url = `smtp://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await this.receiver?.stop();
    this.receiver = undefined;
  }

  count(id: string): number {
    return this.arrivals.get(id)?.length ?? 0;
  }
}

/** Whether every check held, over the whole run (the exit code). */
const mailChecks = { failed: 0 };

/**
 * Waits for the "assigned to you" mail of every system assignment in the phase (`since` the seq it
 * began at) to be sent, then checks each reached the sink once by Message-ID. The worker's CPU from
 * `cpuFrom` to the last mail (the mail's whole cost, also when it is sent after the burst).
 */
async function assignmentMail(pg: Client, sink: MailSink, since: string, label: string, stack: BenchStack, workers: RunningWorker[], cpuFrom: Cpu, items: number, burstEnd: number): Promise<string[]> {
  if (!MAIL_SINK) return [`${label} mail: no SMTP sink (BENCH_MAIL_SINK=0): not sent`];
  if (MAIL_HELD_OFF) return [`${label} mail: the "assigned to you" job held off (AUTO_ASSIGNMENT_MAIL_EVERY_MS=${process.env.AUTO_ASSIGNMENT_MAIL_EVERY_MS}): not waited for`];
  const { rows: [{ n: expected }] } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ticket_events WHERE type = 'assigned' AND actor_kind = 'system' AND seq > $1`, [since],
  );
  const deadline = performance.now() + 300_000;
  let mails: Array<{ message_id: string; status: string }> = [];
  for (;;) {
    mails = (await pg.query<{ message_id: string; status: string }>(
      `SELECT m.message_id, m.status FROM outbound_messages m
        WHERE m.kind = 'assigned' AND m.ticket_id IN (SELECT ticket_id FROM ticket_events WHERE type = 'assigned' AND actor_kind = 'system' AND seq > $1)`,
      [since],
    )).rows;
    const sent = mails.filter((m) => m.status === 'sent');
    if (sent.length >= expected && sent.every((m) => sink.count(m.message_id) >= 1)) break;
    if (performance.now() > deadline) break;
    await sleep(250);
  }
  const mailDone = performance.now();
  const cpuEnd = cpuNow(stack, workers);
  const once = mails.filter((m) => sink.count(m.message_id) === 1).length;
  const never = mails.filter((m) => sink.count(m.message_id) === 0).length;
  const twice = mails.filter((m) => sink.count(m.message_id) > 1).length;
  const arrivals = mails.flatMap((m) => sink.arrivals.get(m.message_id) ?? []);
  const inBurst = arrivals.filter((at) => at <= burstEnd).length;
  const lastAt = Math.max(burstEnd, ...arrivals);
  const ok = mails.length === expected && once === expected;
  if (!ok) mailChecks.failed++;
  const perItem = (x: number) => ((x * 1000) / Math.max(1, items)).toFixed(3);
  return [
    `${label} mail: ${expected} system assignments, ${mails.length} "assigned to you" mails stored, ${arrivals.length} delivered to the SMTP sink ` +
      `(${inBurst} while triage ran, the last ${((lastAt - burstEnd) / 1000).toFixed(1)} s after the last ticket was triaged); ` +
      `${once} exactly once by Message-ID, ${never} never, ${twice} more than once [${ok ? 'ok' : 'FAILED'}]`,
    `${label} worker CPU per ticket until the last mail: ${perItem(cpuEnd.worker - cpuFrom.worker)} ms (PostgreSQL ${perItem(cpuEnd.postgres - cpuFrom.postgres)} ms), ` +
      `over ${((mailDone - cpuFrom.at) / 1000).toFixed(1)} s`,
  ];
}

// ---- seeding ------------------------------------------------------------------------------------

interface Seeded {
  customers: Array<{ id: string; domain: string }>;
  staffToken: string;
  staffAgentId: string;
  rules: number;
  queues: Set<string>;
}

async function seed(stack: BenchStack, pg: Client): Promise<Seeded> {
  const admin = stack.adminToken;
  const plans: string[] = [];
  for (const plan of SUPPORT_PLANS) plans.push((await call<{ id: string }>(stack, admin, 'POST', '/api/v1/support-plans', plan)).id);
  const run = randomUUID().slice(0, 6);
  const names = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Wide World', 'Adventure Works', 'Litware', 'Proseware', 'Lucerne', 'Coho Winery', 'Alpine Ski', 'Woodgrove'];
  const customers: Array<{ id: string; domain: string }> = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const name = `${names[i % names.length]}${i >= names.length ? ` ${i}` : ''}`;
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${run}.example`;
    const c = await call<{ id: string }>(stack, admin, 'POST', '/api/v1/customers', { name, domain, supportPlanId: plans[i % plans.length] });
    customers.push({ id: c.id, domain });
  }

  const rules = triageRules(customers.map((c) => c.domain));
  for (const rule of rules) await call(stack, admin, 'POST', '/api/v1/triage-rules', rule);

  const t0 = performance.now();
  await insertKnownIssues(pg, KNOWN_ISSUES);
  say(`${KNOWN_ISSUES} known issues inserted with SQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const queues = new Set<string>();
  const teams = agentQueues(AGENTS);
  for (let i = 0; i < AGENTS; i++) {
    const agent = await call<{ id: string }>(stack, admin, 'POST', '/api/v1/agents', {
      name: `Triage Agent ${i + 1}`,
      email: `triage-agent-${i + 1}-${run}@partner.example`,
      roles: ['helpdesk_agent'],
    });
    await call(stack, admin, 'PATCH', `/api/v1/agents/${agent.id}`, { queues: teams[i], maxOpenTickets: MAX_OPEN, available: true });
    teams[i].forEach((q) => queues.add(q));
  }
  const staff = await helpdeskAgentToken(stack);
  const [me] = (await pg.query<{ agent_id: string }>(`SELECT id AS agent_id FROM agents WHERE name = 'Bench Agent' ORDER BY created_at DESC LIMIT 1`)).rows;
  const staffAgentId = me?.agent_id ?? (await pg.query<{ id: string }>(`SELECT id FROM agents ORDER BY created_at LIMIT 1`)).rows[0].id;
  say(`seeded: ${SUPPORT_PLANS.length} support plans (24×7 and Madrid business hours), ${customers.length} customers, ${rules.length} enabled rules, ${KNOWN_ISSUES} known issues, ${AGENTS} agents (max ${MAX_OPEN} open each) over ${queues.size} queues; tickets filed as ${staff.who}`);
  return { customers, staffToken: staff.token, staffAgentId, rules: rules.length, queues };
}

/** Ticket bodies as intake receives them; half without category / product so triage decides. */
function ticketSource(seeded: Seeded): () => { body: Record<string, unknown>; idempotencyKey?: string } {
  const next = ticketRequests(seeded.customers, seeded.staffToken);
  return () => {
    for (;;) {
      const r = next();
      if (r.repeat) continue; // idempotent re-deliveries are the intake benchmark's business
      const body = JSON.parse(r.body) as Record<string, unknown>;
      if (Math.random() < NO_CATEGORY) delete body.category;
      if (Math.random() < NO_PRODUCT) delete body.product;
      return { body, idempotencyKey: r.idempotencyKey };
    }
  };
}

/** Intake's INSERT_TICKET (ticket-writes.ts) for a batch: tickets, their `created` events, their outbox rows. */
const INSERT_TICKETS = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                         $9::text[], $10::text[], $11::text[], $12::text[])
      AS x(id, customer_id, subject, description, category, product, severity, priority, channel, requester_name, requester_email, external_id)
  ), t AS (
    INSERT INTO tickets (id, customer_id, subject, description, category, product, severity, priority,
                         channel, requester_name, requester_email, external_id)
    SELECT * FROM input
    ON CONFLICT (customer_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING *
  ), created_event AS (
    ${createdEventSql('t', `'staff'`, '$13::uuid')}
  ), handoff AS (
    ${outboxRowPerRowSql('t', { queue: '$14', jobName: '$15', jobId: 'id::text', payload: `jsonb_build_object('ticketId', id)` }, 'ORDER BY number')}
  )
  SELECT count(*)::int AS n FROM t`;

async function insertTickets(pg: Client, seeded: Seeded, count: number): Promise<void> {
  const next = ticketSource(seeded);
  let inserted = 0;
  const t0 = performance.now();
  while (inserted < count) {
    const size = Math.min(500, count - inserted);
    const cols: Array<Array<string | null>> = Array.from({ length: 12 }, () => []);
    for (let i = 0; i < size; i++) {
      const { body: b } = next();
      const requester = b.requester as { name: string; email: string };
      const values = [
        randomUUID(), b.customerId as string, b.subject as string, b.description as string,
        (b.category as string) ?? null, (b.product as string) ?? null, (b.severity as string) ?? null, (b.severity as string) ?? 'P3',
        (b.channel as string) ?? 'api', requester.name, requester.email.toLowerCase(), (b.externalId as string) ?? null,
      ];
      values.forEach((v, k) => cols[k].push(v));
    }
    const { rows } = await pg.query<{ n: number }>(INSERT_TICKETS, [...cols, seeded.staffAgentId, QueueName.Triage, JOB_NAME[QueueName.Triage]]);
    inserted += rows[0].n;
  }
  await pg.query('ANALYZE tickets');
  say(`${inserted} tickets (+ created events + outbox rows) inserted with SQL in ${((performance.now() - t0) / 1000).toFixed(1)} s, no worker running`);
}

// ---- measurements -------------------------------------------------------------------------------

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (x: number) => `${Math.round(x)} ms`;

async function queueCounts(stack: BenchStack): Promise<Record<string, number>> {
  const queue = new Queue(QueueName.Triage, { connection: redisOptionsFromUrl(stack.redisUrl) as never, prefix: process.env.QUEUE_PREFIX ?? 'helpdesk' });
  try {
    return await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  } finally {
    await queue.close();
  }
}

async function outcomeSummary(pg: Client, where: string, params: unknown[]): Promise<string> {
  const { rows } = await pg.query(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE jsonb_array_length(diagnosis->'suggestions') > 0)::int AS diagnosed,
            count(*) FILTER (WHERE assignee_id IS NOT NULL)::int AS assigned,
            count(*) FILTER (WHERE first_response_due_at IS NOT NULL)::int AS clocked,
            count(DISTINCT queue)::int AS queues,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'triaged'
                                           AND jsonb_array_length(e.data->'matchedRules') > 0))::int AS ruled
       FROM tickets t WHERE ${where}`,
    params,
  );
  const r = rows[0];
  const share = (x: number) => `${((100 * x) / Math.max(1, r.n)).toFixed(0)} %`;
  return `${r.n} triaged: ${share(r.ruled)} matched ≥1 rule, ${share(r.diagnosed)} got known-issue suggestions, ${share(r.clocked)} on an SLA clock, ${share(r.assigned)} assigned; ${r.queues} queues used`;
}

/** Polls until no ticket is `new`; prints progress every 5 s; fails after 60 s without progress. */
async function waitTriaged(stack: BenchStack, workers: RunningWorker[], remaining: () => Promise<number>): Promise<void> {
  let left = await remaining();
  let lastLeft = left;
  let lastAt = performance.now();
  let lastProgress = lastAt;
  while (left > 0) {
    await sleep(250);
    left = await remaining();
    const now = performance.now();
    if (left < lastLeft) lastProgress = now;
    if (now - lastAt >= 5000) {
      say(`  … ${TICKETS - left} triaged, ${(((lastLeft - left) * 1000) / (now - lastAt)).toFixed(0)}/s over the last ${((now - lastAt) / 1000).toFixed(0)} s; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
      lastLeft = left;
      lastAt = now;
    }
    if (now - lastProgress > 60_000) throw new Error(`no progress for 60 s with ${left} tickets left; queue ${JSON.stringify(await queueCounts(stack))}\n${tail(workers[0].log)}`);
    if (workers.some((w) => w.child.exitCode !== null)) throw new Error(`a worker exited:\n${tail(workers[0].log)}`);
  }
}

/** Each worker's resident memory: its peak over the phase (`peaks`, else the process's VmHWM) and now, with the anonymous/file split. */
function workerMemory(workers: RunningWorker[], peaks?: number[]): string {
  return workers
    .map((w, i) => {
      const pid = w.child.pid!;
      const peak = peaks?.[i] ?? procStatus(pid, 'VmHWM');
      return `${i === 0 && workers.length === 1 ? 'worker' : `worker-${i}`} peak RSS ${mib(peak)}, now ${mib(procStatus(pid, 'VmRSS'))} (anon ${mib(procStatus(pid, 'RssAnon'))}, file ${mib(procStatus(pid, 'RssFile'))})`;
    })
    .join('; ');
}

/** `workers` is filled here and stopped by the caller, also when this fails. */
async function phase1(stack: BenchStack, pg: Client, seeded: Seeded, workers: RunningWorker[], sink: MailSink): Promise<string[]> {
  say(`phase 1: ${TICKETS} tickets waiting, starting ${WORKERS} worker process(es) …`);
  await insertTickets(pg, seeded, TICKETS);
  await resetStatementStats(pg);
  const tablesBefore = await tableActivity(pg);
  const walBefore = (await pg.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
  const t0 = performance.now();
  for (let i = 0; i < WORKERS; i++) workers.push(await startBenchWorker(stack, `worker-${i}`, workerEnv(sink)));
  const ready = Math.max(...workers.map((w) => w.readyAt));
  say(`worker ready ${((ready - t0) / 1000).toFixed(1)} s after spawn`);
  const cpuReady = cpuNow(stack, workers);
  const waits = waitSampler(stack.databaseUrl);

  const remaining = async () => (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE status = 'new'`)).rows[0].n;
  try {
    await waitTriaged(stack, workers, remaining);
  } catch (error) {
    await waits.stop();
    throw error;
  }
  const done = performance.now();
  const after = cpuNow(stack, workers);
  const { rows } = await pg.query<{ first: Date; last: Date; span: number }>(
    `SELECT min(triaged_at) AS first, max(triaged_at) AS last, extract(epoch FROM max(triaged_at) - min(triaged_at))::float8 AS span FROM tickets`,
  );
  const cpuPerTicket = (x: number) => ((x * 1000) / TICKETS).toFixed(3);
  const span = rows[0].span;
  const fromSpawn = TICKETS / ((done - t0) / 1000);
  const fromReady = TICKETS / ((done - ready) / 1000);
  const steady = TICKETS / span;
  const figures = [
    `phase 1: ${TICKETS} tickets triaged in ${((done - t0) / 1000).toFixed(1)} s from worker spawn → ${fromSpawn.toFixed(0)} triaged/s ` +
      `(from worker ready: ${((done - ready) / 1000).toFixed(1)} s → ${fromReady.toFixed(0)}/s; first→last triaged_at: ${span.toFixed(1)} s → ${steady.toFixed(0)}/s) ` +
      `[target ≥ ${TARGET_THROUGHPUT}/s: ${fromSpawn >= TARGET_THROUGHPUT ? 'met' : 'MISSED'}]`,
    `phase 1 ${cpuText(cpuReady, after)}`,
    `phase 1 worker CPU per triaged ticket (ready → last triaged): ${cpuPerTicket(after.worker - cpuReady.worker)} ms (PostgreSQL ${cpuPerTicket(after.postgres - cpuReady.postgres)} ms)`,
    `phase 1 ${await waits.stop()}`,
    `phase 1 memory (since spawn): ${workerMemory(workers)}`,
    `phase 1 outcome: ${await outcomeSummary(pg, 'true', [])}`,
    `phase 1 queue: ${JSON.stringify(await queueCounts(stack))}`,
    ...(await statementStats(pg, TICKETS, 'phase 1')),
    ...(await statementIo(pg, TICKETS)),
    `phase 1 WAL (every session, autovacuum included): ${await walBytesPerTicket(pg, walBefore)} bytes per ticket`,
    ...(await tableActivitySince(pg, tablesBefore)),
  ];
  figures.forEach((f) => say(f));
  const mail = await assignmentMail(pg, sink, '0', 'phase 1', stack, workers, cpuReady, TICKETS, done);
  mail.forEach((f) => say(f));
  return [...figures, ...mail];
}

/** The worker's mail goes to the sink (BENCH_MAIL_SINK=0: nowhere, as before). */
function workerEnv(sink: MailSink): Record<string, string> {
  return MAIL_SINK ? { SMTP_URL: sink.url } : {};
}

type TableCounts = Record<'av' | 'aa' | 'upd' | 'hot' | 'ins', number>;

/** Per table: autovacuum and autoanalyze runs, inserted and updated rows (HOT among them). */
async function tableActivity(pg: Client): Promise<Map<string, TableCounts>> {
  const { rows } = await pg.query<TableCounts & { relname: string }>(
    `SELECT relname, autovacuum_count::int AS av, autoanalyze_count::int AS aa, n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot, n_tup_ins::int AS ins
       FROM pg_stat_user_tables`,
  );
  return new Map(rows.map((r) => [r.relname, r]));
}

/**
 * What phase 1 wrote where, and what autovacuum did meanwhile (its CPU counts in PostgreSQL's):
 * the tables with any activity since `before`. The statistics reach the view a moment after the
 * writes, hence the short wait.
 */
async function tableActivitySince(pg: Client, before: Map<string, TableCounts>): Promise<string[]> {
  await sleep(600);
  const lines: string[] = [];
  for (const [name, now] of await tableActivity(pg)) {
    const was = before.get(name) ?? { av: 0, aa: 0, upd: 0, hot: 0, ins: 0 };
    const d = (k: keyof TableCounts) => now[k] - was[k];
    if (d('av') || d('aa') || d('upd') || d('ins')) {
      lines.push(`phase 1 table ${name}: ${d('ins')} inserted, ${d('upd')} updated (${d('hot')} HOT); autovacuum ${d('av')}×, autoanalyze ${d('aa')}×`);
    }
  }
  return lines;
}

async function walBytesPerTicket(pg: Client, since: string): Promise<string> {
  const { rows } = await pg.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [since]);
  return (Number(rows[0].bytes) / TICKETS).toFixed(0);
}

/** BENCH_PG_STATEMENTS=1: per ticket, the buffers and WAL of the statements PostgreSQL spent its time on. */
async function statementIo(pg: Client, items: number): Promise<string[]> {
  if (process.env.BENCH_PG_STATEMENTS !== '1') return [];
  const { rows } = await pg.query<{ hit: number; dirtied: number; written: number; wal: number; fpi: number; toplevel: boolean; query: string }>(
    `SELECT shared_blks_hit::float8 AS hit, shared_blks_dirtied::float8 AS dirtied, shared_blks_written::float8 AS written,
            wal_bytes::float8 AS wal, wal_fpi::float8 AS fpi, toplevel, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%'
      ORDER BY total_exec_time DESC LIMIT 12`,
  );
  const per = (x: number) => (x / Math.max(1, items)).toFixed(2);
  return rows.map(
    (r) => `phase 1 statement I/O: ${per(r.hit)} buffers hit, ${per(r.dirtied)} dirtied, ${per(r.written)} written, ${(r.wal / Math.max(1, items)).toFixed(0)} WAL bytes (${per(r.fpi)} full pages) per ticket${r.toplevel ? '' : ' (nested)'}: ${r.query.slice(0, 120)}`,
  );
}

async function phase2(stack: BenchStack, pg: Client, seeded: Seeded, workers: RunningWorker[], sink: MailSink): Promise<string[]> {
  const { rows: [{ seq: seqBefore }] } = await pg.query<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM ticket_events`);
  const total = Math.round(RATE * RATE_DURATION);
  say(`phase 2: POST ${total} tickets at a steady ${RATE}/s for ${RATE_DURATION} s with the worker running …`);
  const next = ticketSource(seeded);
  const interval = 1000 / RATE;
  const ids: string[] = [];
  const sendAt = new Map<string, number>();
  const clientLatency: number[] = [];
  const lateness: number[] = [];
  const statuses = new Map<number, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  let errorSample: string | undefined;
  const pending: Array<Promise<void>> = [];

  const fire = (scheduled: number) => {
    const { body, idempotencyKey } = next();
    const start = performance.now();
    lateness.push(start - scheduled);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(
      postJson(`${stack.apiUrl}/api/v1/tickets`, seeded.staffToken, JSON.stringify(body), idempotencyKey ? { 'idempotency-key': idempotencyKey } : {})
        .then(({ status, text }) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          clientLatency.push(performance.now() - start);
          if (status >= 500 && !errorSample) errorSample = `${status} ${text.slice(0, 300)}`;
          if (status === 201) {
            const id = (JSON.parse(text) as { id: string }).id;
            ids.push(id);
            sendAt.set(id, start);
          }
        })
        .catch(() => void statuses.set(0, (statuses.get(0) ?? 0) + 1))
        .finally(() => inFlight--),
    );
  };

  let sendEnd = Number.POSITIVE_INFINITY;
  // Poll who is triaged: the commit-visible, end-to-end latency (resolution: the poll interval).
  const seen = new Map<string, number>();
  let polling = true;
  const poller = (async () => {
    while (polling || seen.size < ids.length) {
      // The oldest waiting tickets only (triage is first in, first out): asking PostgreSQL about every
      // waiting id 20 times a second cost it more than the triage it measures once a backlog formed.
      const waiting = ids.filter((id) => !seen.has(id)).slice(0, 500);
      if (waiting.length > 0) {
        const { rows } = await pg.query<{ id: string }>(`SELECT id FROM tickets WHERE id = ANY($1::uuid[]) AND status <> 'new'`, [waiting]);
        const now = performance.now();
        for (const r of rows) seen.set(r.id, now);
      }
      if (!polling && performance.now() - sendEnd > 120_000) break;
      await sleep(50);
    }
  })();

  await resetStatementStats(pg);
  const cpuStart = cpuNow(stack, workers);
  // Phase 2's own peak (VmHWM would be phase 1's, the process's whole life).
  const phasePeaks = workers.map(() => 0);
  const rssTimer = setInterval(() => workers.forEach((w, i) => (phasePeaks[i] = Math.max(phasePeaks[i], procStatus(w.child.pid!, 'VmRSS')))), 250);
  const waits = waitSampler(stack.databaseUrl);
  const t0 = performance.now() + 20;
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - t0) / interval) + 1);
    while (sent < due) fire(t0 + sent++ * interval);
    const wait = t0 + sent * interval - performance.now();
    if (wait > 0) await sleep(wait);
  }
  sendEnd = performance.now();
  await Promise.all(pending);
  const achieved = total / ((sendEnd - t0) / 1000);
  polling = false;
  await poller;
  const cpuEnd = cpuNow(stack, workers);
  clearInterval(rssTimer);

  const { rows } = await pg.query<{ ms: number }>(
    `SELECT extract(epoch FROM triaged_at - created_at)::float8 * 1000 AS ms FROM tickets WHERE id = ANY($1::uuid[]) AND triaged_at IS NOT NULL ORDER BY 1`,
    [ids],
  );
  const lat = rows.map((r) => r.ms);
  const observed = ids.filter((id) => seen.has(id)).map((id) => seen.get(id)! - sendAt.get(id)!).sort((a, b) => a - b);
  clientLatency.sort((a, b) => a - b);
  lateness.sort((a, b) => a - b);
  const p99 = pct(lat, 99);
  const figures = [
    `phase 2: ${total} POSTs scheduled at ${RATE}/s, sent at ${achieved.toFixed(1)}/s (scheduler lateness p50 ${pct(lateness, 50).toFixed(1)} ms, p99 ${pct(lateness, 99).toFixed(1)} ms, max in flight ${maxInFlight}); ` +
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}; POST latency p50 ${ms(pct(clientLatency, 50))}, p99 ${ms(pct(clientLatency, 99))}`,
    `phase 2: intake→triaged (tickets.triaged_at − created_at) over ${lat.length} tickets: p50 ${ms(pct(lat, 50))}, p90 ${ms(pct(lat, 90))}, p99 ${ms(p99)}, max ${ms(lat[lat.length - 1])} ` +
      `[target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'MISSED'}]`,
    `phase 2: POST sent → triaged visible in PostgreSQL (polled every 50 ms, includes the triage transaction's commit): p50 ${ms(pct(observed, 50))}, p99 ${ms(pct(observed, 99))}, max ${ms(observed[observed.length - 1])}`,
    `phase 2 ${cpuText(cpuStart, cpuEnd)}`,
    `phase 2 ${await waits.stop()}`,
    `phase 2 memory (sampled every 250 ms): ${workerMemory(workers, phasePeaks)}`,
    `phase 2 outcome: ${await outcomeSummary(pg, 'id = ANY($1::uuid[])', [ids])}`,
    ...(await statementStats(pg, ids.length, 'phase 2')),
  ];
  if (errorSample) figures.push(`phase 2: first 5xx answer: ${errorSample}`);
  if (lat.length < ids.length) figures.push(`phase 2: ${ids.length - lat.length} tickets NOT triaged within 120 s`);
  figures.forEach((f) => say(f));
  const mail = await assignmentMail(pg, sink, seqBefore, 'phase 2', stack, workers, cpuStart, ids.length, performance.now());
  mail.forEach((f) => say(f));
  return [...figures, ...mail];
}

function main(): void {
  say(`machine: ${machineDescription()}`);
  const workers: RunningWorker[] = [];
  let pg: Client | undefined;
  const figures: string[] = [];
  const sink = new MailSink();
  runBench({ name: 'triage' }, async (stack) => {
    if (MAIL_SINK) await sink.start();
    pg = new Client({ connectionString: stack.databaseUrl, application_name: 'bench-triage' });
    pg.on('error', () => undefined);
    await pg.connect();
    const seeded = await seed(stack, pg);
    if (PHASES.has('1')) {
      figures.push(...(await phase1(stack, pg, seeded, workers, sink)));
    } else {
      for (let i = 0; i < WORKERS; i++) workers.push(await startBenchWorker(stack, `worker-${i}`, workerEnv(sink)));
    }
    if (PHASES.has('2')) {
      await sleep(2000);
      figures.push(...(await phase2(stack, pg, seeded, workers, sink)));
    }
    if (MAIL_SINK) {
      const assigned = (await pg.query<{ id: string }>(`SELECT message_id AS id FROM outbound_messages WHERE kind = 'assigned'`)).rows.map((r) => r.id);
      const known = new Set(assigned);
      const other = [...sink.arrivals.keys()].filter((id) => !known.has(id)).length;
      figures.push(`mail at the sink: ${[...sink.arrivals.values()].reduce((n, a) => n + a.length, 0)} messages, ${assigned.length} of them "assigned to you", ${other} other Message-IDs, ${sink.withoutMessageId} without one`);
    }
    if (mailChecks.failed > 0) throw new Error(`${mailChecks.failed} phase(s) failed the "assigned to you" mail check (see the figures above)`);
  }, {
    cleanup: async () => {
      await pg?.end().catch(() => undefined);
      say('stopping the worker(s), the API, Redis and PostgreSQL …');
      await Promise.all(workers.map((w) => stopBenchWorker(w)));
      await sink.stop();
      for (const w of workers) {
        const errors = readFileSync(w.log, 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l));
        if (errors.length) say(`worker log has ${errors.length} error lines, e.g. ${errors[0].slice(0, 300)}`);
      }
    },
    after: () => {
      say(`machine after: ${machineDescription()}`);
      say('summary:');
      for (const f of figures) process.stdout.write(`  ${f}\n`);
    },
  });
}

main();
