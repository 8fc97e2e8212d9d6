/**
 * `npm run bench:workbench`: the agent workbench's reads with 1,000,000 tickets and 3,000,000
 * comments (Spanish and English text, workbench-seed.ts): `GET /tickets?q=…` (one and two words,
 * each language, staff and customer, with a filter), the sorts (`due` first page and deep pages,
 * `priority`, `-updated`), `GET /views` with 8 views and their counts, a view's page, `GET /tags`;
 * then EXPLAIN (ANALYZE, BUFFERS) of the SQL behind them, built by the same intake functions the API uses.
 *
 * Environment: DATABASE_URL / REDIS_URL (otherwise throw-away embedded PostgreSQL and local Redis; a
 * DATABASE_URL already seeded by an earlier run is reused as it is), BENCH_TICKETS (default 1000000),
 * BENCH_DURATION (s per query, default 10), BENCH_REQUESTS (instead of a duration, this many requests per query:
 * with BENCH_GC=1 the collections then compare between runs), BENCH_CONNECTIONS (default "1"), BENCH_QUERIES (only the
 * queries whose name contains one of these comma-separated words, e.g. "views,status"),
 * BENCH_EXPLAIN=0 (no plans), BENCH_PG_STATEMENTS=1 (PostgreSQL's time per statement and request of each query, and the
 * buffers its warm-up and each query read: pgReadsWindow),
 * BENCH_PER_QUERY=1 (after each query's run, as long again one request at a time, timed per path: the
 * slowest paths and each q's median and worst, to see which requests form the tail).
 */
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { encodeSignedCursor, SqlParams } from '@helpdesk/database';
import { countMatches, filterConditions, filterCountSql, filterPageSql, listSelectSql, newestMatches, onlyOpen, searchTerms, SORT_SEGMENTS, TicketFilter, TicketScope, VIEW_COLUMNS } from '@helpdesk/intake';
import { BusinessCalendar, SLA_VIEW_COLUMNS } from '@helpdesk/triage';
import { BUILT_IN_VIEWS, counterSelection, isOpenOf, ticketFilterFor, VIEW_COUNT_CAP, ViewFilter } from '@helpdesk/workbench';
import { hashToken } from '@helpdesk/auth';
import { TICKET_COUNTERS_SQL } from '@helpdesk/monitoring';
import { BenchStack, call, envNumber, machineDescription, measureGets, pgReadsWindow, resetStatementStats, runBench, say, statementStats, SUPPORT_PLAN, withPg } from './bench-stack';
import { QUERIES } from './search-corpus';
import { seedWorkbench, tableSizes } from './workbench-seed';

const TICKETS = envNumber('BENCH_TICKETS', 1_000_000);
const DURATION = envNumber('BENCH_DURATION', 10);
const REQUESTS = envNumber('BENCH_REQUESTS', 0);
const CONNECTION_LEVELS = (process.env.BENCH_CONNECTIONS ?? '1').split(',').map(Number);
const ONLY = (process.env.BENCH_QUERIES ?? '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
const EXPLAIN = process.env.BENCH_EXPLAIN !== '0';
const PER_QUERY = process.env.BENCH_PER_QUERY === '1';

const BENCH_AGENT_EMAIL = 'bench-agent@partner.example';
const MADRID_HOURS = {
  name: 'Business hours Spain',
  timezone: 'Europe/Madrid',
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: ['2026-12-08', '2026-12-25', '2027-01-01', '2027-01-06'],
};

/** The three personal views of the bench agent (with the five built-in ones: eight). */
const PERSONAL_VIEWS: Array<{ name: string; filter: ViewFilter; sort: string }> = [
  { name: 'VIP open, by due', filter: { queue: 'vip', status: ['triaged', 'in_progress', 'waiting_on_customer', 'escalated'] }, sort: 'due' },
  { name: 'Open outages', filter: { tags: ['outage'], status: ['new', 'triaged', 'in_progress', 'escalated'] }, sort: 'priority' },
  { name: 'Facturas abiertas', filter: { q: 'factura', status: ['triaged', 'in_progress', 'waiting_on_customer'] }, sort: '-updated' },
];

interface Actors {
  admin: string;
  agent: { id: string; token: string; queues: string[] };
  customer: { id: string; token: string };
  plans: Array<{ id: string; timezone: string; businessHours: Array<{ day: number; start: string; end: string }>; holidays: string[] }>;
}

/** A token for an existing owner (a database an earlier run seeded: the bootstrap token only works on an empty one). */
async function issueToken(pg: Client, owner: { agentId: string } | { customerId: string }, token: string): Promise<string> {
  await pg.query(`INSERT INTO api_tokens (token_hash, kind, agent_id, customer_id) VALUES ($1, $2, $3, $4)`, [
    hashToken(token),
    'agentId' in owner ? 'staff' : 'customer',
    'agentId' in owner ? owner.agentId : null,
    'customerId' in owner ? owner.customerId : null,
  ]);
  return token;
}

async function setUp(stack: BenchStack): Promise<Actors> {
  return withPg(stack.databaseUrl, async (pg) => {
    const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM customers`)).rows as Array<{ n: number }>;
    if (n === 0) {
      say('creating plans, 25 customers, the bench agent and 199 more agents …');
      const roundTheClock = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/support-plans', SUPPORT_PLAN);
      const madrid = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/support-plans', { ...SUPPORT_PLAN, ...MADRID_HOURS });
      for (let i = 0; i < 25; i++) {
        await call(stack, stack.adminToken, 'POST', '/api/v1/customers', { name: `Customer ${i}`, domain: `customer-${i}.example`, supportPlanId: i % 2 ? madrid.id : roundTheClock.id });
      }
      const agent = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/agents', { name: 'Bench Agent', email: BENCH_AGENT_EMAIL, roles: ['helpdesk_agent'] });
      await call(stack, stack.adminToken, 'PATCH', `/api/v1/agents/${agent.id}`, { queues: ['billing', 'vip'] });
      await pg.query(
        `INSERT INTO agents (name, email, roles, queues)
         SELECT 'Agent ' || g, 'agent-' || g || '@partner.example', '{helpdesk_agent}', ARRAY[(ARRAY['billing', 'technical', 'subscriptions', 'azure', 'microsoft-365'])[1 + g % 5]]
           FROM generate_series(1, 199) g`,
      );
    }
    const [admin] = (await pg.query(`SELECT id FROM agents WHERE 'global_admin' = ANY (roles) ORDER BY created_at LIMIT 1`)).rows as Array<{ id: string }>;
    const [agent] = (await pg.query(`SELECT id, queues FROM agents WHERE email = $1`, [BENCH_AGENT_EMAIL])).rows as Array<{ id: string; queues: string[] }>;
    const customerIds = ((await pg.query(`SELECT id FROM customers ORDER BY created_at, id`)).rows as Array<{ id: string }>).map((r) => r.id);
    const agentIds = ((await pg.query(`SELECT id FROM agents WHERE 'helpdesk_agent' = ANY (roles) ORDER BY email`)).rows as Array<{ id: string }>).map((r) => r.id);
    say(`seeding ${TICKETS.toLocaleString('en')} tickets and their comments …`);
    await seedWorkbench(pg, TICKETS, customerIds, agentIds);
    say(await tableSizes(pg));
    const adminToken = await issueToken(pg, { agentId: admin.id }, `hds_bench_${randomBytes(16).toString('hex')}`);
    const agentToken = await issueToken(pg, { agentId: agent.id }, `hds_bench_${randomBytes(16).toString('hex')}`);
    const customerToken = await issueToken(pg, { customerId: customerIds[0] }, `hdc_bench_${randomBytes(16).toString('hex')}`);
    await pg.query(`DELETE FROM saved_views WHERE owner_id = $1`, [agent.id]);
    for (const view of PERSONAL_VIEWS) await call(stack, agentToken, 'POST', '/api/v1/views', { ...view, visibility: 'personal' });
    const plans = (await pg.query(`SELECT id, timezone, business_hours AS "businessHours", holidays FROM support_plans`)).rows as Actors['plans'];
    return { admin: adminToken, agent: { id: agent.id, token: agentToken, queues: agent.queues }, customer: { id: customerIds[0], token: customerToken }, plans };
  });
}

interface Measured {
  name: string;
  /** A fresh path per request. */
  next: () => string;
  token: string;
  target: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const path = (route: string, params: Record<string, string> = {}) => `${route}?${new URLSearchParams(params).toString()}`;

/** Cursors deep into the `due` sort: keys of random running clocks, as the API would have issued them. */
async function dueCursors(pg: Client): Promise<string[]> {
  const rows = (
    await pg.query(
      `SELECT t.resolution_due_at::text AS due, t.number::text AS number FROM tickets t
        WHERE ${SORT_SEGMENTS.due[0].where} ORDER BY random() LIMIT 200`,
    )
  ).rows as Array<{ due: string; number: string }>;
  return rows.map((r) => encodeSignedCursor({ s: 'due', g: 0, k: [r.due, r.number] }));
}

/**
 * BENCH_PER_QUERY: `duration` s of requests one at a time, each timed by itself: per q (or path) the
 * count, median and worst, and the slowest requests — which requests form a p99, not only how high it is.
 */
async function timePerPath(stack: BenchStack, m: Measured, duration: number): Promise<string[]> {
  const times = new Map<string, number[]>();
  const all: Array<[number, string]> = [];
  const until = performance.now() + duration * 1000;
  while (performance.now() < until) {
    const p = m.next();
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}${p}`, { headers: { authorization: `Bearer ${m.token}` } });
    await response.arrayBuffer();
    const ms = performance.now() - started;
    const key = new URL(p, stack.apiUrl).searchParams.get('q') ?? p;
    times.set(key, [...(times.get(key) ?? []), ms]);
    all.push([ms, p]);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const overall = sorted(all.map(([ms]) => ms));
  const lines = [`  per path, one at a time: ${all.length} requests, p50 ${overall[Math.floor(overall.length * 0.5)].toFixed(1)} ms, p99 ${overall[Math.floor(overall.length * 0.99)].toFixed(1)} ms`];
  for (const [key, xs] of [...times].sort((a, b) => Math.max(...b[1]) - Math.max(...a[1]))) {
    const s = sorted(xs);
    lines.push(`    q=${key}: ${s.length}×, median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, worst ${s[s.length - 1].toFixed(1)} ms`);
  }
  for (const [ms, p] of [...all].sort((a, b) => b[0] - a[0]).slice(0, 10)) lines.push(`    slowest: ${ms.toFixed(1)} ms ${decodeURIComponent(p)}`);
  return lines;
}

async function explain(pg: Client, title: string, sql: string, values: unknown[]): Promise<void> {
  await pg.query(sql, values);
  const plan = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  say(`-- ${title}`);
  say(`-- ${sql.replace(/\s+/g, ' ').trim()}   params ${JSON.stringify(values).slice(0, 300)}`);
  for (const line of plan) process.stdout.write(`    ${line}\n`);
}

/** The ticket filter of a view for the bench agent now, as SavedViewsService resolves it. */
function viewTicketFilter(filter: ViewFilter, actors: Actors): TicketFilter {
  const viewer = { agentId: actors.agent.id, queues: actors.agent.queues };
  if (filter.slaDueWithinBusinessMinutes === undefined) return ticketFilterFor(filter, viewer);
  const now = new Date();
  const untilByPlan = actors.plans.map((p) => ({
    planId: p.id,
    until: new BusinessCalendar({ timezone: p.timezone, businessHours: p.businessHours, holidays: p.holidays }).addBusinessMinutes(now, filter.slaDueWithinBusinessMinutes!),
  }));
  return ticketFilterFor(filter, viewer, { from: now, untilByPlan });
}

async function explainAll(pg: Client, actors: Actors): Promise<void> {
  const staff: TicketScope = { audience: 'staff', agentId: actors.agent.id, worksCategories: 'all' };
  const [{ n }] = (await pg.query(`SELECT max(number)::text AS n FROM tickets`)).rows as Array<{ n: string }>;
  const newest = BigInt(n);
  // Each search's walk as the API runs it (newestMatches): every step's plan, ranking included.
  const searches: Array<[string, string, 'staff_doc' | 'public_doc', string | undefined, (p: SqlParams) => string[], boolean?]> = [
    ['a frequent English word, staff', 'licences', 'staff_doc', undefined, () => []],
    ['a frequent Spanish word, customer', 'factura', 'public_doc', actors.customer.id, () => []],
    ['two Spanish words, staff', 'iniciar sesion', 'staff_doc', undefined, () => []],
    ['a rare word (an error code), staff', 'E12345', 'staff_doc', undefined, () => []],
    ['a place name (1 % of tickets), staff', 'Montevideo', 'staff_doc', undefined, () => []],
    ['a frequent word with status=in_progress', 'error', 'staff_doc', undefined, (p) => filterConditions(staff, { status: ['in_progress'] }, p, null), true],
  ];
  for (const [label, q, doc, customerId, where, open] of searches) {
    let step = 0;
    const search = { doc, text: searchTerms(q).text!, customerId, except: null, where, onlyOpen: open };
    const found = await newestMatches(search, newest, async <T>(sql: string, values: unknown[]) => {
      await explain(pg, `q=${q} (${label}): step ${++step} of the newest matches`, sql, values);
      return (await pg.query(sql, values)).rows as T[];
    });
    say(`-- q=${q}: ${found.length} matches ranked in ${step} steps`);
  }
  const sorts: Array<[string, '-number' | 'due' | 'priority' | '-updated', TicketFilter]> = [
    ["the inbox's first page (no sort: newest first)", '-number', {}],
    ['sort=due, first page', 'due', {}],
    ['sort=due&queue=billing, first page', 'due', { queues: ['billing'] }],
    ['sort=priority, first page', 'priority', {}],
    ['sort=-updated, first page', '-updated', {}],
    // Its first segment (running resolution clocks), as the api reads it: the two clocks' parts merged.
    ['GET /views/breaching-soon/tickets, first page (sort=due)', 'due', viewTicketFilter(BUILT_IN_VIEWS.find((v) => v.id === 'breaching-soon')!.filter, actors)],
  ];
  for (const [label, sort, filter] of sorts) {
    const p = new SqlParams();
    // The columns the api's list selects: intake's and the SLA clock's (TicketHooks.viewColumns).
    const sql = filterPageSql(staff, filter, p, null, { segment: SORT_SEGMENTS[sort][0], after: null, limit: 51, select: listSelectSql([...VIEW_COLUMNS, ...SLA_VIEW_COLUMNS]) });
    await explain(pg, label, sql, p.values);
  }
  const personal = PERSONAL_VIEWS.map((v, i) => ({ id: `personal-${i + 1}`, filter: v.filter }));
  // What the api reads for the views the writes' counters answer, once per request whatever their number.
  await explain(pg, 'GET /views: the queue counters (every view of statuses, queues, priorities, unassigned)', TICKET_COUNTERS_SQL, []);
  await explain(pg, "GET /views: the caller's queues and open tickets (my-open)", `SELECT queues, open_tickets FROM agents WHERE id = $1`, [actors.agent.id]);
  for (const view of [...BUILT_IN_VIEWS, ...personal]) {
    const filter = viewTicketFilter(view.filter, actors);
    if (!filter.slaDueWithin && (isOpenOf(filter, actors.agent.id) || counterSelection(filter))) {
      // The count in tickets the api no longer runs for it, for comparison with earlier runs.
      const p = new SqlParams();
      await explain(pg, `GET /views: ${view.id} is answered by the counters; its count in tickets (not run by the api)`, filterCountSql(staff, filter, p, null, VIEW_COUNT_CAP), p.values);
      continue;
    }
    const text = filter.q ? searchTerms(filter.q).text : null;
    if (text) {
      // A searching view is counted range by range (countMatches): every step's plan, as the API runs them.
      let step = 0;
      const search = {
        doc: 'staff_doc' as const,
        text,
        customerId: filter.customerId,
        except: null,
        where: (p: SqlParams) => filterConditions({ audience: 'staff' }, { ...filter, customerId: undefined }, p, null),
        onlyOpen: onlyOpen(filter),
      };
      const started = performance.now();
      const n = await countMatches(search, newest, VIEW_COUNT_CAP, async <T>(sql: string, values: unknown[]) => {
        await explain(pg, `GET /views: the count of ${view.id}, step ${++step}`, sql, values);
        return (await pg.query(sql, values)).rows as T[];
      });
      say(`-- the count of ${view.id}: ${n} in ${step} steps`);
      const timed = performance.now();
      await countMatches(search, newest, VIEW_COUNT_CAP, async <T>(sql: string, values: unknown[]) => (await pg.query(sql, values)).rows as T[]);
      say(`-- the count of ${view.id} again, without EXPLAIN: ${(performance.now() - timed).toFixed(1)} ms (with EXPLAIN: ${(timed - started).toFixed(1)} ms)`);
      continue;
    }
    const p = new SqlParams();
    const sql = filterCountSql(staff, filter, p, null, VIEW_COUNT_CAP);
    await explain(pg, `GET /views: the count of ${view.id}`, sql, p.values);
  }
}

function main(): void {
  say(`machine: ${machineDescription()}`);
  runBench({ name: 'workbench-bench' }, async (stack) => {
    const actors = await setUp(stack);
    const cursors = await withPg(stack.databaseUrl, dueCursors);
    const words = (lang: 'en' | 'es') => [...QUERIES[lang].frequent, ...QUERIES[lang].medium, ...QUERIES[lang].rare];
    const search = (qs: readonly string[], extra: () => Record<string, string> = () => ({})) => () => path('/api/v1/tickets', { q: pick(qs), limit: '50', ...extra() });
    const all: Measured[] = [
      { name: 'q= one English word (frequent, medium, rare)', next: search(words('en')), token: actors.agent.token, target: 50 },
      { name: 'q= one Spanish word (frequent, medium, rare)', next: search(words('es')), token: actors.agent.token, target: 50 },
      { name: 'q= two English words', next: search(QUERIES.en.twoWords), token: actors.agent.token, target: 50 },
      { name: 'q= two Spanish words', next: search(QUERIES.es.twoWords), token: actors.agent.token, target: 50 },
      { name: 'q= one or two words, customer token', next: search([...words('en'), ...words('es'), ...QUERIES.en.twoWords, ...QUERIES.es.twoWords]), token: actors.customer.token, target: 50 },
      { name: 'q= one word + status (open statuses)', next: search([...words('en'), ...words('es')], () => ({ status: pick(['triaged', 'in_progress', 'waiting_on_customer']) })), token: actors.agent.token, target: 50 },
      { name: "the inbox's first page (no sort: newest first)", next: () => path('/api/v1/tickets', { limit: '50' }), token: actors.agent.token, target: 20 },
      { name: 'sort=due, first page', next: () => path('/api/v1/tickets', { sort: 'due', limit: '50' }), token: actors.agent.token, target: 20 },
      { name: 'sort=due, a deep page (random cursor)', next: () => path('/api/v1/tickets', { sort: 'due', limit: '50', cursor: pick(cursors) }), token: actors.agent.token, target: 20 },
      { name: 'sort=due + queue, first page', next: () => path('/api/v1/tickets', { sort: 'due', limit: '50', queue: pick(['billing', 'technical', 'vip', 'azure']) }), token: actors.agent.token, target: 20 },
      { name: 'sort=priority, first page', next: () => path('/api/v1/tickets', { sort: 'priority', limit: '50' }), token: actors.agent.token, target: 20 },
      { name: 'sort=-updated, first page', next: () => path('/api/v1/tickets', { sort: '-updated', limit: '50' }), token: actors.agent.token, target: 20 },
      { name: 'GET /views (8 views with counts)', next: () => '/api/v1/views', token: actors.agent.token, target: 50 },
      { name: 'GET /views/my-open/tickets', next: () => path('/api/v1/views/my-open/tickets', { limit: '50' }), token: actors.agent.token, target: 20 },
      { name: 'GET /views/breaching-soon/tickets', next: () => path('/api/v1/views/breaching-soon/tickets', { limit: '50' }), token: actors.agent.token, target: 20 },
      { name: 'GET /tags', next: () => '/api/v1/tags', token: actors.agent.token, target: 20 },
    ];
    const measured = ONLY.length ? all.filter((m) => ONLY.some((w) => m.name.toLowerCase().includes(w))) : all;
    const views = await call<Array<{ id: string; count: number; countCapped: boolean }>>(stack, actors.agent.token, 'GET', '/api/v1/views');
    say(`the bench agent's views: ${views.map((v) => `${v.id} ${v.count}${v.countCapped ? '+' : ''}`).join(', ')}`);

    const server = await withPg(stack.databaseUrl, async (pg) => (await pg.query(`SELECT current_setting('shared_buffers') AS buffers, current_setting('shared_preload_libraries') AS preloaded, pg_postmaster_start_time() AS started`)).rows[0] as { buffers: string; preloaded: string; started: Date });
    say(`PostgreSQL: shared_buffers ${server.buffers}, preloaded: ${server.preloaded || 'none'}${server.preloaded.includes('pg_prewarm') ? '' : ' (no autoprewarm: after a restart the first searches read their pages anew)'}, up ${Math.round((Date.now() - server.started.getTime()) / 1000)} s`);
    // A fresh path per request, as measured: each query's pages (a search reads 100–1,000 blocks no other
    // word needs) are read here, not in the measured window. What the warm-up had to read says how cold
    // PostgreSQL's buffers and the machine's page cache were (bench/README.md, "The first searches after PostgreSQL starts").
    say('warm-up: 3 s of each query …');
    for (const m of measured) {
      await withPg(stack.databaseUrl, resetStatementStats);
      const reads = await pgReadsWindow(stack.databaseUrl);
      const { result } = await measureGets(stack, { token: m.token, connections: 1, duration: 3, next: m.next });
      const warmed = await reads.stop(result.requests.total);
      if (warmed) say(`  warm-up of ${m.name}: ${result.requests.total} requests, PostgreSQL ${JSON.stringify(warmed)}`);
    }

    const lines: string[] = [];
    let missed = false;
    for (const connections of CONNECTION_LEVELS) {
      for (const m of measured) {
        say(`${m.name}: ${connections} connection(s) for ${REQUESTS ? `${REQUESTS} requests` : `${DURATION} s`} …`);
        await withPg(stack.databaseUrl, resetStatementStats);
        const reads = await pgReadsWindow(stack.databaseUrl);
        const { result, cpu, perRequest, wrong, sample, gc } = await measureGets(stack, { token: m.token, connections, duration: DURATION, amount: REQUESTS, next: m.next });
        const pgReads = await reads.stop(result.requests.total);
        for (const line of await withPg(stack.databaseUrl, (pg) => statementStats(pg, result.requests.total, m.name))) lines.push(`  ${line.replace('µs/ticket', 'µs/request')}`);
        const line = `[${connections} conn] ${m.name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms (target p99 < ${m.target} ms), non-200 ${wrong}, errors ${result.errors}; per request ${JSON.stringify(perRequest)}; CPU ${JSON.stringify(cpu)}${gc ? `; GC ${JSON.stringify(gc)}` : ''}${pgReads ? `; PostgreSQL ${JSON.stringify(pgReads)}` : ''}`;
        lines.push(line);
        for (const s of sample) lines.push(`  e.g. ${s}`);
        if (PER_QUERY) lines.push(...(await timePerPath(stack, m, DURATION)));
        if (result.latency.p99 >= m.target || wrong > 0 || result.errors > 0) missed = true;
        process.stdout.write(`BENCH_RESULT ${JSON.stringify({ query: m.name, connections, requestsPerSecond: Math.round(result.requests.average), latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max }, targetP99Ms: m.target, non200: wrong, errors: result.errors, perRequest, cpuCores: cpu, gc, pgReads })}\n`);
      }
    }

    if (EXPLAIN) {
      say('');
      say('─── EXPLAIN (ANALYZE, BUFFERS) ─────────────────────────────────────');
      await withPg(stack.databaseUrl, (pg) => explainAll(pg, actors));
    }

    say('');
    say('─── workbench benchmark ────────────────────────────────────────────');
    say(`${TICKETS.toLocaleString('en')} tickets, ${DURATION} s per query, limit=50; machine: ${machineDescription()}`);
    for (const line of lines) say(line);
    say(`targets: ${missed ? 'MISSED for at least one query' : 'met'}`);
  });
}

main();
