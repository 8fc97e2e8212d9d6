/**
 * `npm run bench:list`: GET /api/v1/tickets (queue, queue + cursor, queue + status, status) with
 * 1,000,000 tickets in the table, plus EXPLAIN (ANALYZE, BUFFERS) of the SQL the API runs.
 *
 * Environment: DATABASE_URL / REDIS_URL (otherwise throw-away embedded PostgreSQL and local Redis),
 * BENCH_TICKETS (default 1000000), BENCH_LIST_DURATION (s per query, default 10),
 * BENCH_LIST_CONNECTIONS (concurrency levels, default "1,10"), BENCH_PG_DURABLE=0 (fsync off),
 * BENCH_EXPLAIN=0 (no plans). With BENCH_WAITS=1 each line also gives the api's event-loop delay and
 * its pg pool's checkouts (api-waits.ts); with BENCH_PG_STATEMENTS=1 (pg_stat_statements preloaded)
 * the statements per request and their execution time, mean and buffers.
 *
 * Then (BENCH_REFERENCE=0 skips it) the bare reference (bare-list-reference.ts: Fastify, no Nest, the
 * same statements through `pg`, the same token check and JSON) at the highest concurrency, right after
 * the API's windows with the API stopped: first the same answer as the API's for each query's
 * example (the same JSON), then the same queries: its p50/p99, req/s and CPU per request, and the API's
 * ratio to it. Both give their CPU ms a request by process (theirs, PostgreSQL with BENCH_PG_DATA_DIR, Redis,
 * the load generator, the total on the machine) and, with BENCH_GC=1, the KiB they allocate a request.
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { decodeSignedCursor, encodeSignedCursor, SqlParams } from '@helpdesk/database';
import { filterPageSql, listSelectSql, SORT_SEGMENTS, VIEW_COLUMNS } from '@helpdesk/intake';
import { SLA_VIEW_COLUMNS } from '@helpdesk/triage';
import type { TicketStatus } from '@helpdesk/intake';
import { BenchStack, call, cpuBetween, cpuMsPerRequest, cpuSnapshotOf, createCustomers, envNumber, GC_TALLY, gcWindowOf, helpdeskAgentToken, machineDescription, measureGets, runBench, say, withPg } from './bench-stack';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { hashToken } from '@helpdesk/auth';
import { pickQueue, priorityCase, queueCase, statusCase } from './ticket-shapes';

const TICKETS = envNumber('BENCH_TICKETS', 1_000_000);
const DURATION = envNumber('BENCH_LIST_DURATION', 10);
/** Each query is measured at each of these concurrencies (comma-separated; default "1,10"). */
const CONNECTION_LEVELS = (process.env.BENCH_LIST_CONNECTIONS ?? '1,10').split(',').map((c) => {
  const n = Number(c.trim());
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_LIST_CONNECTIONS must be comma-separated positive integers, not ${process.env.BENCH_LIST_CONNECTIONS}`);
  return n;
});
const CHUNK = 100_000;
const EXPLAIN = process.env.BENCH_EXPLAIN !== '0';
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';
const REFERENCE = process.env.BENCH_REFERENCE !== '0';

/** pg_stat_statements of the helpdesk's statements (the api's), summed: calls, execution ms, buffers. */
async function statementTotals(pg: Client): Promise<{ calls: number; ms: number; blocks: number }> {
  const [t] = (
    await pg.query(
      `SELECT coalesce(sum(calls), 0)::float8 AS calls, coalesce(sum(total_exec_time), 0)::float8 AS ms,
              coalesce(sum(shared_blks_hit + shared_blks_read), 0)::float8 AS blocks
         FROM pg_stat_statements s
        WHERE s.toplevel AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND s.query NOT ILIKE '%pg_stat_statements%'`,
    )
  ).rows as Array<{ calls: number; ms: number; blocks: number }>;
  return t;
}

const OPEN_STATUSES = ['triaged', 'in_progress', 'waiting_on_customer', 'escalated'] as const;

/** A cursor as TicketsService issues it for the default sort, after ticket `number`. */
const cursorFor = (number: number) => encodeSignedCursor({ s: '-number', g: 0, k: [String(number)] });

/**
 * One INSERT … SELECT generate_series per 100,000 tickets. Ticket k is k·20 s younger than ticket
 * k−1 (≈ 230 days for a million), so `number` follows `created_at`. The last 3 % are open work
 * (new/triaged/in progress/waiting/escalated); older tickets are mostly closed or resolved, with a
 * thin stale tail still open. New tickets mostly have no queue yet.
 */
const SEED = `
  INSERT INTO tickets (id, number, customer_id, subject, description, category, product, severity, priority,
                       status, channel, requester_name, requester_email, queue, external_id,
                       first_responded_at, triaged_at, resolved_at, created_at, updated_at)
  SELECT gen_random_uuid(), g, c.ids[1 + floor(c.n * power(x.r_customer, 2))::int],
         (ARRAY['Cannot sign in to Outlook', 'Invoice shows the wrong number of licences', 'Ampliar la suscripción a 40 licencias',
                'Production VM unreachable in West Europe', 'No puedo iniciar sesión en Teams', 'Renewal date question',
                'Los usuarios no reciben correos externos', 'MFA reset for a user who lost her phone'])[1 + g % 8] || ' #' || g,
         repeat((ARRAY['Since this morning nobody in accounting can open Outlook on the web. ',
                       'Según nuestro contrato las licencias deberían prorratearse, pero la factura cobra el mes completo. ',
                       'The virtual machine stopped answering at 03:12 UTC and boot diagnostics show a kernel panic. ',
                       'Afecta a tres usuarios de la oficina de Madrid; el resto de la empresa trabaja con normalidad. '])[1 + g % 4],
                (1 + g % 5)::int),
         (ARRAY['billing', 'subscription_management', 'technical', NULL])[1 + floor(x.r_cat * 4)::int],
         (ARRAY['azure', 'microsoft_365', 'dynamics_365', 'other', NULL])[1 + floor(x.r_prod * 5)::int],
         CASE WHEN x.r_sev < 0.6 THEN p.priority END,
         p.priority, s.status,
         (ARRAY['portal', 'email', 'phone', 'api'])[1 + floor(x.r_chan * 4)::int],
         'Requester ' || (g % 997), 'requester' || (g % 997) || '@customer.example',
         CASE WHEN s.status = 'new' AND x.r_queue_null < 0.8 THEN NULL ELSE ${queueCase('x.r_queue')} END,
         CASE WHEN x.r_ext < 0.3 THEN 'SEED-' || g END,
         CASE WHEN s.status <> 'new' THEN t.created_at + interval '25 minutes' END,
         CASE WHEN s.status <> 'new' THEN t.created_at + interval '2 minutes' END,
         CASE WHEN s.status IN ('resolved', 'closed') THEN t.created_at + interval '1 day' END,
         t.created_at, t.created_at
    FROM generate_series($1::bigint, $2::bigint) AS g
   CROSS JOIN (SELECT array_agg(id ORDER BY created_at, id) AS ids, count(*)::int AS n FROM customers) AS c
   CROSS JOIN LATERAL (SELECT random() AS r_customer, random() AS r_cat, random() AS r_prod, random() AS r_sev, random() AS r_chan,
                              random() AS r_queue, random() AS r_queue_null, random() AS r_ext, random() AS r_status, random() AS r_prio,
                              g::float8 / $3::float8 AS age) AS x
   CROSS JOIN LATERAL (SELECT now() - ($3::bigint - g) * interval '20 seconds' AS created_at) AS t
   CROSS JOIN LATERAL (SELECT ${priorityCase('x.r_prio')} AS priority) AS p
   CROSS JOIN LATERAL (SELECT ${statusCase('x.age', 'x.r_status')} AS status) AS s`;

async function seed(stack: BenchStack): Promise<void> {
  await withPg(stack.databaseUrl, async (pg) => {
    const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM tickets`)).rows as Array<{ n: number }>;
    if (n >= TICKETS) {
      say(`the table already holds ${n} tickets: not seeding`);
      return;
    }
    await pg.query(`SET synchronous_commit = off`);
    await pg.query(`SET maintenance_work_mem = '256MB'`);
    const started = Date.now();
    // A bulk load is faster without the secondary indexes; they are rebuilt from their own
    // definitions afterwards (the primary key and unique constraints stay throughout).
    const indexes = (
      await pg.query(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i
          WHERE i.schemaname = current_schema() AND i.tablename = 'tickets'
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      )
    ).rows as Array<{ indexname: string; indexdef: string }>;
    if (n === 0) for (const { indexname } of indexes) await pg.query(`DROP INDEX "${indexname}"`);
    for (let from = n + 1; from <= TICKETS; from += CHUNK) {
      const to = Math.min(TICKETS, from + CHUNK - 1);
      await pg.query(SEED, [from, to, TICKETS]);
      say(`  seeded ${to.toLocaleString('en')} tickets (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    if (n === 0) {
      for (const { indexdef } of indexes) await pg.query(indexdef);
      say(`  rebuilt ${indexes.length} secondary indexes (${((Date.now() - started) / 1000).toFixed(1)} s): ${indexes.map((i) => i.indexname).join(', ')}`);
    }
    await pg.query(`SELECT setval('ticket_number_seq', (SELECT max(number) FROM tickets))`);
    say(`seeding took ${((Date.now() - started) / 1000).toFixed(1)} s; VACUUM (ANALYZE) tickets …`);
    const vacuumed = Date.now();
    await pg.query(`VACUUM (ANALYZE) tickets`);
    say(`VACUUM (ANALYZE) took ${((Date.now() - vacuumed) / 1000).toFixed(1)} s`);
    const dist = (await pg.query(`SELECT coalesce(queue, '(none)') AS queue, count(*)::int AS n FROM tickets GROUP BY 1 ORDER BY 2 DESC`)).rows as Array<{ queue: string; n: number }>;
    say(`per queue: ${dist.map((d) => `${d.queue} ${d.n}`).join(', ')}`);
    const statuses = (await pg.query(`SELECT status, count(*)::int AS n FROM tickets GROUP BY 1 ORDER BY 2 DESC`)).rows as Array<{ status: string; n: number }>;
    say(`per status: ${statuses.map((d) => `${d.status} ${d.n}`).join(', ')}`);
    const [size] = (await pg.query(`SELECT pg_size_pretty(pg_table_size('tickets')) AS heap, pg_size_pretty(pg_indexes_size('tickets')) AS indexes`)).rows as Array<{ heap: string; indexes: string }>;
    say(`tickets: heap ${size.heap}, indexes ${size.indexes}`);
  });
}

/**
 * A database that already has staff (a seeded copy given as DATABASE_URL) ignores the bootstrap
 * admin token: the bench then lists as one of its helpdesk agents, with a token of its own.
 */
async function existingAgentToken(stack: BenchStack): Promise<{ token: string; who: string } | null> {
  return withPg(stack.databaseUrl, async (pg) => {
    const [agent] = (await pg.query(`SELECT id FROM agents WHERE 'helpdesk_agent' = ANY (roles) AND deactivated_at IS NULL ORDER BY created_at LIMIT 1`)).rows as Array<{ id: string }>;
    if (!agent) return null;
    const token = `hds_bench_${randomBytes(16).toString('hex')}`;
    await pg.query(`INSERT INTO api_tokens (token_hash, kind, agent_id) VALUES ($1, 'staff', $2)`, [hashToken(token), agent.id]);
    return { token, who: 'an existing helpdesk_agent' };
  });
}

interface Query {
  name: string;
  /** A fresh query string per request (random queue / status / cursor). */
  next: () => Record<string, string>;
  /** Representative parameters for EXPLAIN. */
  explain: Array<Record<string, string>>;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const qs = (params: Record<string, string>) => new URLSearchParams({ ...params, limit: '50' }).toString();

/** The SQL TicketsService.list() runs for a staff token, built by intake's own functions. */
function listSql(params: Record<string, string>): { sql: string; values: unknown[] } {
  const p = new SqlParams();
  const filter = { customerId: params.customerId, status: params.status ? [params.status as TicketStatus] : undefined, queues: params.queue ? [params.queue] : undefined };
  const after = params.cursor ? decodeSignedCursor(params.cursor, (c): c is { k: string[] } => Array.isArray((c as { k?: unknown }).k)).k : null;
  const newest = SORT_SEGMENTS['-number'][0];
  const sql = filterPageSql({ audience: 'staff' }, filter, p, null, { segment: newest, after, limit: 51, select: listSelectSql([...VIEW_COLUMNS, ...SLA_VIEW_COLUMNS]) });
  return { sql, values: p.values };
}

interface WindowFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  /** CPU ms a request by process (the api, PostgreSQL, Redis, the load generator, their total). */
  byProcess?: Record<string, number>;
  allocatedKiBPerRequest?: number;
}

/**
 * The bare reference on the same database: the same answer as the API's for each query's first
 * example (else the bench fails), then each query at `connections` for DURATION s. The API is
 * stopped first (its timers would share the cores). Lines for the summary, with the API's ratio.
 */
async function measureReference(stack: BenchStack, token: string, queries: Query[], connections: number, api: Map<string, WindowFigures>): Promise<string[]> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // BENCH_GC=1: the reference's allocations too, counted as the api's are (gc-tally.js preloaded).
  const gcFile = stack.apiGcFile ? join(stack.workDir, 'reference-gc.jsonl') : undefined;
  const child = fork(join(__dirname, 'bare-list-reference.js'), [], {
    env: { ...process.env, DATABASE_URL: stack.databaseUrl, BARE_PORT: String(port), BARE_POOL_SIZE: '20', ...(gcFile ? { BENCH_GC_FILE: gcFile } : {}) },
    execArgv: [...process.execArgv, ...(gcFile ? ['-r', GC_TALLY] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await new Promise<void>((ready, fail) => {
      child.once('message', () => ready());
      child.once('exit', (code) => fail(new Error(`the bare reference exited (${code}) before it listened`)));
    });
    let sameBytes = 0;
    for (const q of queries) {
      const path = `/api/v1/tickets?${qs(q.explain[0])}`;
      const get = async (base: string) => {
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${base === url ? 'the bare reference' : 'the API'} answered ${response.status} to ${path}: ${text.slice(0, 300)}`);
        return text;
      };
      const [ours, theirs] = [await get(stack.apiUrl), await get(url)];
      if (!isDeepStrictEqual(JSON.parse(ours), JSON.parse(theirs))) throw new Error(`the bare reference's answer to ${path} is not the API's (${theirs.length} and ${ours.length} bytes)`);
      if (ours === theirs) sameBytes++;
    }
    say(`bare reference: the same JSON as the API for the ${queries.length} queries' examples (byte for byte: ${sameBytes})`);
    await new Promise<void>((stopped) => {
      if (stack.api.exitCode !== null || stack.api.signalCode !== null) return stopped();
      stack.api.once('exit', () => stopped());
      stack.api.kill('SIGTERM');
    });
    say(`bare reference: warm-up 3 s of queue lists …`);
    await autocannon({ url: `${url}/api/v1/tickets?queue=billing&limit=50`, connections, duration: 3, headers: { authorization: `Bearer ${token}` } });
    const lines: string[] = [];
    for (const q of queries) {
      say(`bare reference: GET /api/v1/tickets ${q.name}: ${connections} connection(s) for ${DURATION} s …`);
      let wrong = 0;
      const cpu0 = cpuSnapshotOf(stack, { reference: child.pid, redis: stack.redisPid });
      const gc = gcWindowOf(child, gcFile);
      const result = await autocannon({
        url,
        connections,
        duration: DURATION,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: `/api/v1/tickets?${qs(q.next())}`, headers: { authorization: `Bearer ${token}` } }),
            onResponse: (status) => void (status !== 200 && wrong++),
          },
        ],
      });
      const cpu1 = cpuSnapshotOf(stack, { reference: child.pid, redis: stack.redisPid });
      const n = result.requests.total;
      const split = cpuMsPerRequest(cpu0, cpu1, n);
      const cpuMs = split.reference;
      const theirs = api.get(q.name);
      const ratio = (a: number | undefined, b: number) => (a === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100);
      const figures = {
        query: q.name,
        connections,
        requestsPerSecond: Math.round(result.requests.average),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        non200: wrong,
        errors: result.errors,
        cpuMsPerRequest: cpuMs,
        // The whole request on the machine: the reference, PostgreSQL (with BENCH_PG_DATA_DIR), Redis, the load generator.
        cpuMsPerRequestByProcess: split,
        gc: await gc.stop(n),
        bytes: n > 0 ? Math.round(result.throughput.total / n) : 0,
        cpuCores: cpuBetween(cpu0, cpu1),
        api: theirs,
        // API ÷ reference: its CPU per request (load-independent) and its requests per second.
        apiCpuRatio: ratio(theirs?.cpuMsPerRequest, cpuMs),
        apiThroughputRatio: ratio(theirs?.requestsPerSecond, result.requests.average),
      };
      process.stdout.write(`BENCH_RESULT ${JSON.stringify({ reference: 'bare-list', ...figures })}\n`);
      lines.push(
        `[${connections} conn] ${q.name}: reference ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, CPU ${cpuMs} ms/request, non-200 ${wrong}` +
          (theirs ? `; API ${Math.round(theirs.requestsPerSecond)} req/s, p50 ${theirs.p50} ms, p99 ${theirs.p99} ms, CPU ${theirs.cpuMsPerRequest} ms/request → API CPU ${figures.apiCpuRatio}× the reference's, API req/s ${Math.round((figures.apiThroughputRatio ?? 0) * 100)} % of it` : '') +
          `; CPU ms a request by process: reference ${JSON.stringify(split)}` +
          (theirs?.byProcess ? `, API ${JSON.stringify(theirs.byProcess)}` : '') +
          (figures.gc ? `; reference allocated ${figures.gc.allocatedKiBPerRequest} KiB a request` : '') +
          (theirs?.allocatedKiBPerRequest !== undefined ? `, API ${theirs.allocatedKiBPerRequest}` : '') +
          `; reference p99 < 20 ms: ${figures.latencyMs.p99 < 20 ? 'met' : 'MISSED'}`,
      );
    }
    return lines;
  } finally {
    child.kill('SIGTERM');
  }
}

function main(): void {
  say(`machine: ${machineDescription()}`);
  runBench({ name: 'list-bench' }, async (stack) => {
    const staff = (await existingAgentToken(stack)) ?? (await helpdeskAgentToken(stack));
    if (staff.who === 'helpdesk_agent') await createCustomers(stack, 25, false);
    say(`seeding ${TICKETS.toLocaleString('en')} tickets with INSERT … SELECT generate_series …`);
    await seed(stack);
    const [{ max }] = await withPg(stack.databaseUrl, async (pg) => (await pg.query(`SELECT max(number)::int AS max FROM tickets`)).rows as Array<{ max: number }>);

    const queries: Query[] = [
      { name: 'queue (first page)', next: () => ({ queue: pickQueue() }), explain: [{ queue: 'billing' }, { queue: 'vip' }] },
      {
        name: 'queue + cursor (random depth)',
        next: () => ({ queue: pickQueue(), cursor: cursorFor(1 + Math.floor(Math.random() * max)) }),
        explain: [{ queue: 'billing', cursor: cursorFor(Math.floor(max / 2)) }, { queue: 'vip', cursor: cursorFor(Math.floor(max / 10)) }],
      },
      {
        name: 'queue + status (open statuses)',
        next: () => ({ queue: pickQueue(), status: pick(OPEN_STATUSES) }),
        explain: [{ queue: 'billing', status: 'in_progress' }, { queue: 'vip', status: 'escalated' }],
      },
      { name: 'status (open statuses)', next: () => ({ status: pick(OPEN_STATUSES) }), explain: [{ status: 'escalated' }, { status: 'waiting_on_customer' }] },
    ];

    // The API answers what our mirror of its SQL answers (same first ticket).
    for (const q of queries) {
      const params = q.explain[0];
      const page = await call<{ items: Array<{ number: string }> }>(stack, staff.token, 'GET', `/api/v1/tickets?${qs(params)}`);
      const { sql, values } = listSql(params);
      const rows = await withPg(stack.databaseUrl, async (pg) => (await pg.query(sql, values)).rows as Array<{ number: string }>);
      const apiFirst = String(page.items[0]?.number ?? '');
      if (!apiFirst.endsWith(String(rows[0]?.number ?? '-'))) throw new Error(`the API's first ticket (${apiFirst}) is not the SQL's (${rows[0]?.number}) for ${JSON.stringify(params)}`);
    }

    say(`warm-up: 3 s of queue lists …`);
    await autocannon({ url: `${stack.apiUrl}/api/v1/tickets?queue=billing&limit=50`, connections: Math.max(...CONNECTION_LEVELS), duration: 3, headers: { authorization: `Bearer ${staff.token}` } });

    const rows: string[] = [];
    let missed = false;
    const top = Math.max(...CONNECTION_LEVELS);
    const apiAtTop = new Map<string, WindowFigures>();
    for (const connections of CONNECTION_LEVELS) {
      for (const q of queries) {
        say(`GET /api/v1/tickets ${q.name}: ${connections} connection(s) for ${DURATION} s …`);
        const pg = PG_STATEMENTS ? new Client({ connectionString: stack.databaseUrl, application_name: 'bench' }) : null;
        await pg?.connect();
        const before = pg ? await statementTotals(pg) : null;
        const { result, cpu, wrong, sample, perRequest, byProcess, gc, waits } = await measureGets(stack, { token: staff.token, connections, duration: DURATION, next: () => `/api/v1/tickets?${qs(q.next())}` });
        const after = pg ? await statementTotals(pg) : null;
        await pg?.end();
        const n = result.requests.total;
        const per = (x: number, digits: number) => Math.round((x / Math.max(1, n)) * 10 ** digits) / 10 ** digits;
        // The snapshot's own statement is one of the calls counted: left out.
        const statements = before && after ? { perRequest: per(after.calls - before.calls - 1, 2), execMsPerRequest: per(after.ms - before.ms, 3), meanMs: Math.round(((after.ms - before.ms) / Math.max(1, after.calls - before.calls - 1)) * 1000) / 1000, blocksPerRequest: per(after.blocks - before.blocks, 1) } : undefined;
        const line =
          `[${connections} conn] ${q.name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, non-200 ${wrong}, errors ${result.errors}; ` +
          `per request ${JSON.stringify(perRequest)}; CPU ${JSON.stringify(cpu)}` +
          (waits ? `; event-loop delay ms ${JSON.stringify(waits.eventLoopDelayMs)}; pool ${JSON.stringify(waits.pool)}` : '') +
          (statements ? `; statements ${JSON.stringify(statements)}` : '') +
          (gc ? `; gc ${JSON.stringify(gc)}` : '');
        rows.push(line);
        for (const s of sample) rows.push(`  e.g. ${s}`);
        if (connections === top) apiAtTop.set(q.name, { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuMsPerRequest: perRequest.apiCpuMs, byProcess, allocatedKiBPerRequest: gc?.allocatedKiBPerRequest });
        if (result.latency.p99 >= 20 || wrong > 0 || result.errors > 0) missed = true;
        process.stdout.write(
          `BENCH_RESULT ${JSON.stringify({ query: q.name, connections, requestsPerSecond: Math.round(result.requests.average), latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max }, non200: wrong, errors: result.errors, apiCpuMsPerRequest: perRequest.apiCpuMs, perRequest, cpuCores: cpu, waits, statements, gc })}\n`,
        );
      }
    }

    const reference = REFERENCE ? await measureReference(stack, staff.token, queries, top, apiAtTop) : [];

    say('');
    if (EXPLAIN) say('─── EXPLAIN (ANALYZE, BUFFERS) of the list SQL ─────────────────────');
    if (EXPLAIN) await withPg(stack.databaseUrl, async (pg) => {
      for (const q of queries) {
        for (const params of q.explain) {
          const { sql, values } = listSql(params);
          // Run once so the plan shows a warm cache, as under load.
          await pg.query(sql, values);
          const plan = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
          say(`-- ${q.name} ${JSON.stringify(params)}`);
          say(`-- ${sql}   params ${JSON.stringify(values)}`);
          for (const line of plan) process.stdout.write(`    ${line}\n`);
        }
      }
    });

    say('');
    say('─── list benchmark ─────────────────────────────────────────────────');
    say(`${TICKETS.toLocaleString('en')} tickets, ${CONNECTION_LEVELS.join(' and ')} connection(s), ${DURATION} s per query, limit=50`);
    for (const line of rows) say(line);
    say(`target p99 < 20 ms: ${missed ? 'MISSED for at least one query' : 'met'}`);
    if (reference.length > 0) {
      say(`bare reference (Fastify + the same statements through pg, the same token check and JSON, no Nest), ${top} connection(s), the API stopped:`);
      for (const line of reference) say(line);
    }
  });
}

main();
