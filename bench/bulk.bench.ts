/**
 * `npm run bench:bulk`: POST /api/v1/tickets/bulk with 500 ids (target: < 2 s), on a table of
 * BENCH_TICKETS other tickets. Each round takes 500 fresh triaged tickets whose SLA clock runs and
 * sets status, priority (the clock recomputes its due dates), an assignee and a tag: four events
 * per ticket, each ticket its own transaction. Then the same request again with its
 * Idempotency-Key (a replay: nothing applied). Verifies in PostgreSQL that every ticket changed
 * once, with its four events.
 *
 * Environment: DATABASE_URL / REDIS_URL (else throw-away embedded PostgreSQL and local Redis),
 * BENCH_TICKETS (background tickets, default 100000, the oldest tenth closed), BENCH_ROUNDS (default 5),
 * BENCH_PG_STATEMENTS=1 (PostgreSQL's time per statement and ticket), BENCH_RESTART=0 (the rounds run on
 * the API that served the set-up; by default it is restarted after the seed, so round 1 is the first
 * bulk after a start on a database with tickets), BENCH_CHECKPOINT=1 (a CHECKPOINT before each round: every
 * round then writes the full-page images of the pages it changes first, not round 1 most of them).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { call, cpuBetween, cpuSeconds, cpuSnapshot, createCustomers, envNumber, machineDescription, postJson, resetStatementStats, runBench, say, statementStats, withPg } from './bench-stack';
import { backendSnapshot, BackendSnapshot } from './pg-backends';

const BACKGROUND = envNumber('BENCH_TICKETS', 100_000);
const ROUNDS = envNumber('BENCH_ROUNDS', 5);
/** BENCH_RESTART=0: the rounds run on the API that served the set-up, as before round 11. */
const RESTART = envNumber('BENCH_RESTART', 1) !== 0;
const CHECKPOINT = envNumber('BENCH_CHECKPOINT', 0) !== 0;
const BULK = 500;

/** Triaged tickets with a running SLA clock, numbers from $1 to $2, the customers round-robin. */
const SEED = `
  INSERT INTO tickets (id, number, customer_id, subject, description, priority, status, channel, requester_name, requester_email,
                       queue, tags, sla_started_at, first_response_due_at, first_response_warn_at, resolution_due_at, resolution_warn_at,
                       created_at, updated_at)
  SELECT gen_random_uuid(), g, c.ids[1 + (g % c.n)], 'Ticket ' || g, 'Seeded for the bulk benchmark', 'P3', 'triaged', 'portal',
         'Requester', 'r@customer.example', 'technical', ARRAY['seeded'], now() - interval '1 hour',
         now() + interval '3 hours', now() + interval '2 hours', now() + interval '23 hours', now() + interval '17 hours',
         now() - interval '1 hour', now() - interval '1 hour'
    FROM generate_series($1::bigint, $2::bigint) AS g
   CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n FROM customers) AS c
  RETURNING id`;

/** What one bulk request cost: the API's CPU, its backends' (those it opened in the round apart), and when its first and last ticket were written. */
interface RoundFigures {
  apiCpuMs: number;
  apiBackendsCpuMs: number;
  newBackends: number;
  newBackendsCpuMs: number;
  sessions: number;
  firstTicketMs: number;
  lastTicketMs: number;
  /** WAL written in the round, KiB (full-page images after a checkpoint make a round write more). */
  walKiB: number;
}

/** The WAL's insert position (bytes). */
async function walPosition(pg: Client): Promise<number> {
  const { rows } = await pg.query<{ at: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text AS at`);
  return Number(rows[0].at);
}

async function roundFigures(
  pg: Client,
  dataDir: string | undefined,
  apiPid: number | undefined,
  before: BackendSnapshot,
  apiCpuSeconds: number,
  wallStart: number,
  ids: string[],
  walStart: number,
): Promise<RoundFigures> {
  const walKiB = Math.round(((await walPosition(pg)) - walStart) / 1024);
  const after = await backendSnapshot(pg, dataDir, { api: apiPid });
  let apiBackends = 0;
  let fresh = 0;
  let freshCpu = 0;
  for (const [pid, used] of after.cpu) {
    if (after.owner.get(pid) !== 'api') continue;
    const spent = used - (before.cpu.get(pid) ?? 0);
    apiBackends += spent;
    if (!before.cpu.has(pid)) {
      fresh++;
      freshCpu += spent;
    }
  }
  const { rows } = await pg.query<{ first: Date; last: Date }>(`SELECT min(at) AS first, max(at) AS last FROM ticket_events WHERE ticket_id = ANY($1) AND at >= $2`, [
    ids,
    new Date(wallStart),
  ]);
  return {
    apiCpuMs: Math.round(apiCpuSeconds * 1000),
    apiBackendsCpuMs: Math.round(apiBackends * 1000),
    newBackends: fresh,
    newBackendsCpuMs: Math.round(freshCpu * 1000),
    sessions: after.sessions - before.sessions,
    firstTicketMs: rows[0].first ? rows[0].first.getTime() - wallStart : -1,
    lastTicketMs: rows[0].last ? rows[0].last.getTime() - wallStart : -1,
    walKiB,
  };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

function main(): void {
  say(machineDescription());
  let ok = true;
  runBench({ name: 'bulk' }, async (stack) => {
    await createCustomers(stack, 20, false);
    const worker = await call<{ token: string }>(stack, stack.adminToken, 'POST', '/api/v1/agents', { name: 'Bench Agent', email: `bench-${Date.now()}@partner.example`, roles: ['helpdesk_agent'] });
    const assignee = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/agents', { name: 'Assignee', email: `assignee-${Date.now()}@partner.example`, roles: ['helpdesk_agent'] });
    const rounds: string[][] = [];
    await withPg(stack.databaseUrl, async (pg) => {
      await pg.query('SET synchronous_commit = off');
      for (let from = 1; from <= BACKGROUND; from += 100_000) await pg.query(SEED, [from, Math.min(BACKGROUND, from + 99_999)]);
      // As in a helpdesk in use, the oldest tickets are closed (a tenth of the background).
      await pg.query(`UPDATE tickets SET status = 'closed', resolved_at = created_at + interval '30 minutes' WHERE number <= $1`, [Math.ceil(BACKGROUND / 10)]);
      for (let r = 0; r < ROUNDS; r++) {
        const from = BACKGROUND + 1 + r * BULK;
        rounds.push((await pg.query(SEED, [from, from + BULK - 1])).rows.map((row: { id: string }) => row.id));
      }
      await pg.query(`SELECT setval('ticket_number_seq', (SELECT max(number) FROM tickets))`);
      await pg.query('VACUUM (ANALYZE) tickets');
      say(`tickets: ${BACKGROUND + ROUNDS * BULK} (${ROUNDS} rounds of ${BULK} to change)`);
      await resetStatementStats(pg);
    });
    if (RESTART) {
      // The first bulk after a start, on the data a running helpdesk has (not on the empty database the API started on).
      await stack.restartApi();
      say(`API restarted on the seeded database, pid ${stack.api.pid}`);
    }

    const url = `${stack.apiUrl}/api/v1/tickets/bulk`;
    const applied: number[] = [];
    const replayed: number[] = [];
    const perRound: RoundFigures[] = [];
    const cpuFrom = cpuSnapshot(stack);
    const watch = new Client({ connectionString: stack.databaseUrl, application_name: 'bench' });
    await watch.connect();
    for (const [r, ids] of rounds.entries()) {
      const key = randomUUID();
      const payload = JSON.stringify({ ids, set: { status: 'in_progress', priority: 'P2', assigneeId: assignee.id, addTags: [`bulk-${r}`] } });
      // BENCH_CHECKPOINT=1: every round starts just after a checkpoint, so each writes the full-page images of the pages it is first to change.
      if (CHECKPOINT) await watch.query('CHECKPOINT');
      const walStart = await walPosition(watch);
      const before = await backendSnapshot(watch, stack.postgresDataDir, { api: stack.api.pid });
      const apiCpu = cpuSeconds(stack.api.pid);
      const wallStart = Date.now();
      let started = performance.now();
      const first = await postJson(url, worker.token, payload, { 'idempotency-key': key });
      applied.push(performance.now() - started);
      perRound.push(await roundFigures(watch, stack.postgresDataDir, stack.api.pid, before, cpuSeconds(stack.api.pid) - apiCpu, wallStart, ids, walStart));
      say(`round ${r + 1} figures: ${JSON.stringify(perRound[r])}`);
      const body = JSON.parse(first.text) as { succeeded: number; failed: number };
      if (first.status !== 200 || body.succeeded !== BULK) throw new Error(`round ${r}: ${first.status} ${first.text.slice(0, 500)}`);
      started = performance.now();
      const again = await postJson(url, worker.token, payload, { 'idempotency-key': key });
      replayed.push(performance.now() - started);
      if (again.status !== 200 || !(JSON.parse(again.text) as { replayed: boolean }).replayed) throw new Error(`replay ${r}: ${again.status} ${again.text.slice(0, 300)}`);
      say(`round ${r + 1}: ${BULK} tickets changed in ${applied[r].toFixed(0)} ms, replay ${replayed[r].toFixed(0)} ms`);
    }
    const cpu = cpuBetween(cpuFrom, cpuSnapshot(stack));
    await watch.end();

    await withPg(stack.databaseUrl, async (pg) => {
      const all = rounds.flat();
      const { rows } = await pg.query(
        `SELECT count(*) FILTER (WHERE status = 'in_progress' AND priority = 'P2' AND assignee_id = $2 AND cardinality(tags) = 2)::int AS changed,
                (SELECT count(*)::int FROM ticket_events WHERE ticket_id = ANY($1)) AS events
           FROM tickets WHERE id = ANY($1)`,
        [all, assignee.id],
      );
      say(`verified: ${rows[0].changed}/${all.length} tickets changed, ${rows[0].events} events (expected ${all.length * 4})`);
      if (rows[0].changed !== all.length || rows[0].events !== all.length * 4) ok = false;
      for (const line of await statementStats(pg, all.length, 'bulk')) say(line);
      const plan = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM tickets WHERE id = $1 FOR UPDATE`, [all[0]])).rows.map((p: Record<string, string>) => p['QUERY PLAN']);
      say(`lock one ticket:\n  ${plan.join('\n  ')}`);
    });

    const sorted = [...applied].sort((a, b) => a - b);
    const replaySorted = [...replayed].sort((a, b) => a - b);
    const result = {
      backgroundTickets: BACKGROUND,
      ticketsPerRequest: BULK,
      rounds: ROUNDS,
      appliedMs: { min: Math.round(sorted[0]), median: Math.round(quantile(sorted, 0.5)), max: Math.round(sorted[sorted.length - 1]) },
      replayMs: { min: Math.round(replaySorted[0]), median: Math.round(quantile(replaySorted, 0.5)), max: Math.round(replaySorted[replaySorted.length - 1]) },
      cpuCores: cpu,
      perRound,
      machine: machineDescription(),
    };
    say(`bulk of ${BULK}: min ${result.appliedMs.min} ms, median ${result.appliedMs.median} ms, max ${result.appliedMs.max} ms; replay median ${result.replayMs.median} ms`);
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
    if (result.appliedMs.max >= 2000) ok = false;
    return ok;
  });
}

main();
