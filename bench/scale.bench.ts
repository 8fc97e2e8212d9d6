/**
 * `npm run bench:scale`: the README's scale-out path, measured. One PostgreSQL and one Redis started
 * by the bench (as external servers would be: every app reaches them by URL), then the same intake
 * load against
 *   1. one API and one worker,
 *   2. two APIs and two workers (the load split evenly over both APIs),
 * each for BENCH_DURATION s (default 20) at BENCH_CONNECTIONS in all (default 32), after the triage
 * backlog of the step before has drained. For each: tickets stored per second and tickets triaged per
 * second inside the window (from PostgreSQL's `created_at` / `triaged_at`), request latency, and the
 * CPU of every process (APIs, workers, PostgreSQL, Redis, the load generator, anything else), which
 * says where the second pair's cores went. Exactly once is checked at the end: every ticket has one
 * `created` event and one triage outbox row, and every ticket got triaged once.
 */
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import {
  BenchStack,
  cpuBetween,
  cpuSnapshotOf,
  createCustomers,
  envNumber,
  helpdeskAgentToken,
  machineDescription,
  RunningWorker,
  runBench,
  say,
  sleep,
  startBenchWorker,
  startExtraApi,
  stopBenchWorker,
  withPg,
} from './bench-stack';
import { ticketPost, ticketRequests, TicketRequest } from './ticket-bodies';

const DURATION = envNumber('BENCH_DURATION', 20);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32);
const CUSTOMERS = envNumber('BENCH_CUSTOMERS', 20);

interface Step {
  apis: number;
  workers: number;
  ticketsPerSecond: number;
  triagedPerSecond: number;
  latencyMs: { p50: number; p99: number };
  non2xx: number;
  cpuCores: Record<string, number>;
}

async function post(url: string, next: () => TicketRequest, connections: number, duration: number): Promise<autocannon.Result> {
  return await autocannon({
    url,
    connections,
    duration,
    timeout: 10,
    requests: [ticketPost(next)],
  });
}

/** Waits until every stored ticket has been triaged (the worker(s) caught up). */
async function drained(stack: BenchStack, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await withPg(stack.databaseUrl, async (pg) => (await pg.query(`SELECT count(*)::int AS n FROM tickets WHERE triaged_at IS NULL`)).rows[0].n as number);
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`${left} tickets still untriaged after ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

async function measure(stack: BenchStack, apis: Array<{ url: string; child: ChildProcess }>, workers: RunningWorker[], next: () => TicketRequest): Promise<Step> {
  const per = Math.max(1, Math.floor(CONNECTIONS / apis.length));
  say(`${apis.length} API + ${workers.length} worker: ${per} connections on each API for ${DURATION} s …`);
  const pids = { ...Object.fromEntries(apis.map((a, i) => [`api${i + 1}`, a.child.pid])), ...Object.fromEntries(workers.map((w, i) => [`worker${i + 1}`, w.child.pid])), redis: stack.redisPid };
  const [{ t0 }] = await withPg(stack.databaseUrl, async (pg) => (await pg.query(`SELECT clock_timestamp() AS t0`)).rows as Array<{ t0: Date }>);
  const c0 = cpuSnapshotOf(stack, pids);
  const results = await Promise.all(apis.map((a) => post(a.url, next, per, DURATION)));
  const c1 = cpuSnapshotOf(stack, pids);
  const counts = await withPg(stack.databaseUrl, async (pg) =>
    (
      await pg.query(
        `SELECT clock_timestamp() AS t1,
                count(*) FILTER (WHERE created_at >= $1)::int AS stored,
                count(*) FILTER (WHERE triaged_at >= $1)::int AS triaged
           FROM tickets`,
        [t0],
      )
    ).rows[0] as { t1: Date; stored: number; triaged: number },
  );
  const window = (counts.t1.getTime() - t0.getTime()) / 1000;
  const cpuCores = cpuBetween(c0, c1);
  const latencies = results.map((r) => r.latency);
  return {
    apis: apis.length,
    workers: workers.length,
    ticketsPerSecond: Math.round(counts.stored / window),
    triagedPerSecond: Math.round(counts.triaged / window),
    latencyMs: { p50: Math.max(...latencies.map((l) => l.p50)), p99: Math.max(...latencies.map((l) => l.p99)) },
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    cpuCores,
  };
}

function main(): void {
  say(`machine: ${machineDescription()}`);
  const extra: Array<{ child: ChildProcess }> = [];
  const workers: RunningWorker[] = [];
  runBench(
    { name: 'scale-bench' },
    async (stack) => {
      const staff = await helpdeskAgentToken(stack);
      const customers = await createCustomers(stack, CUSTOMERS, true);
      const next = ticketRequests(customers, staff.token);
      workers.push(await startBenchWorker(stack, 'worker1'));
      const apis = [{ url: stack.apiUrl, child: stack.api }];
      // A short warm-up of the first pair (JIT, pools, prepared statements), not measured.
      await post(stack.apiUrl, next, 16, 3);
      await drained(stack);
      const one = await measure(stack, apis, workers, next);
      await drained(stack);

      const second = await startExtraApi(stack, 'api2');
      extra.push(second);
      apis.push(second);
      workers.push(await startBenchWorker(stack, 'worker2'));
      await post(second.url, next, 16, 3);
      await drained(stack);
      const two = await measure(stack, apis, workers, next);
      await drained(stack);

      const facts = await withPg(stack.databaseUrl, async (pg) =>
        (
          await pg.query(
            `SELECT (SELECT count(*) FROM tickets)::int AS tickets,
                    (SELECT count(*) FROM tickets WHERE triaged_at IS NULL)::int AS untriaged,
                    (SELECT count(*) FROM (SELECT ticket_id FROM ticket_events WHERE type = 'created' GROUP BY 1 HAVING count(*) <> 1) x)::int AS multi_created,
                    (SELECT count(*) FROM (SELECT ticket_id FROM ticket_events WHERE type = 'triaged' GROUP BY 1 HAVING count(*) <> 1) x)::int AS multi_triaged,
                    (SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'created'))::int AS no_created`,
          )
        ).rows[0] as Record<string, number>,
      );
      const ok = facts.untriaged === 0 && facts.multi_created === 0 && facts.multi_triaged === 0 && facts.no_created === 0;
      say('─── scale-out ─────────────────────────────────────────────────────');
      for (const s of [one, two]) {
        say(`${s.apis} API + ${s.workers} worker: ${s.ticketsPerSecond} stored/s, ${s.triagedPerSecond} triaged/s, p50 / p99 ${s.latencyMs.p50} / ${s.latencyMs.p99} ms, non-2xx ${s.non2xx}; CPU cores ${JSON.stringify(s.cpuCores)}`);
      }
      say(`2+2 ÷ 1+1: stored ${(two.ticketsPerSecond / one.ticketsPerSecond).toFixed(2)}×, triaged ${(two.triagedPerSecond / one.triagedPerSecond).toFixed(2)}×`);
      say(`${ok ? 'ok  ' : 'FAIL'} ${facts.tickets} tickets: ${facts.untriaged} untriaged, ${facts.multi_created} with more than one 'created' event, ${facts.multi_triaged} triaged twice, ${facts.no_created} without a 'created' event`);
      process.stdout.write(`BENCH_RESULT ${JSON.stringify({ bench: 'scale', machine: machineDescription(), connections: CONNECTIONS, durationSeconds: DURATION, steps: [one, two], facts })}\n`);
      return ok;
    },
    {
      cleanup: async () => {
        for (const w of workers) await stopBenchWorker(w);
        for (const a of extra) {
          if (a.child.exitCode !== null || a.child.signalCode !== null) continue;
          await new Promise<void>((done) => {
            a.child.once('exit', () => done());
            a.child.kill('SIGTERM');
          });
        }
      },
    },
  );
}

main();
