/**
 * `npm run bench:stats`: GET /api/v1/queues/stats with 1,000,000 tickets in the table (seeded
 * with INSERT … SELECT generate_series; the counter trigger fires for every row and the deltas are
 * then folded as the worker's compactor does), measured with autocannon; target p99 < 50 ms.
 *
 * Environment: DATABASE_URL / REDIS_URL (else throw-away embedded PostgreSQL and local Redis),
 * BENCH_TICKETS (default 1000000), BENCH_STATS_DURATION (s, default 10), BENCH_CONNECTIONS (default 4).
 */
import autocannon from 'autocannon';
import { FOLD_COUNTER_DELTAS_SQL } from '@helpdesk/monitoring';
import { call, createCustomers, envNumber, machineDescription, runBench, say, withPg } from './bench-stack';

const TICKETS = envNumber('BENCH_TICKETS', 1_000_000);
const DURATION = envNumber('BENCH_STATS_DURATION', 10);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 4);
const CHUNK = 100_000;
const QUEUES = ['billing', 'subscriptions', 'technical', 'microsoft-365', 'azure', 'dynamics', 'licensing', 'security', 'onboarding', 'vip'];

/** Old tickets mostly closed; the newest 3 % open, some of them warned or breached by the monitor. */
const SEED = `
  INSERT INTO tickets (id, number, customer_id, subject, description, priority, status, channel, requester_name, requester_email,
                       queue, assignee_id, sla_first_response_warned, sla_resolution_warned, sla_resolution_breached, created_at, updated_at)
  SELECT gen_random_uuid(), g, c.ids[1 + (g % c.n)], 'Ticket ' || g, 'Seeded for the stats benchmark',
         (ARRAY['P1','P2','P3','P4'])[1 + (g % 4)], s.status, 'portal', 'Requester', 'r@customer.example',
         CASE WHEN s.status = 'new' THEN NULL ELSE ($4::text[])[1 + (g % ${QUEUES.length})] END,
         CASE WHEN s.status NOT IN ('new') AND g % 3 = 0 THEN $5::uuid END,
         s.open AND g % 50 = 0, s.open AND g % 70 = 0, s.open AND g % 140 = 0,
         now() - ($3::bigint - g) * interval '20 seconds', now()
    FROM generate_series($1::bigint, $2::bigint) AS g
   CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n FROM customers) AS c
   CROSS JOIN LATERAL (SELECT CASE WHEN g > $3::bigint * 0.97
                          THEN (ARRAY['new','triaged','in_progress','waiting_on_customer','escalated'])[1 + (g % 5)]
                          ELSE (ARRAY['closed','closed','closed','resolved'])[1 + (g % 4)] END AS status) AS s0
   CROSS JOIN LATERAL (SELECT s0.status, s0.status NOT IN ('resolved','closed') AS open) AS s`;

function main(): void {
  say(machineDescription());
  let ok = true;
  runBench({ name: 'stats' }, async (stack) => {
    await createCustomers(stack, 20, false);
    const agent = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/agents', { name: 'Bench', email: `bench-${Date.now()}@partner.example`, roles: ['helpdesk_agent'] });
    await withPg(stack.databaseUrl, async (pg) => {
      await pg.query('SET synchronous_commit = off');
      const started = Date.now();
      for (let from = 1; from <= TICKETS; from += CHUNK) {
        const to = Math.min(TICKETS, from + CHUNK - 1);
        await pg.query(SEED, [from, to, TICKETS, QUEUES, agent.id]);
        await pg.query(FOLD_COUNTER_DELTAS_SQL);
        say(`  seeded ${to.toLocaleString('en')} tickets (${((Date.now() - started) / 1000).toFixed(1)} s, counters folded)`);
      }
      await pg.query(`SELECT setval('ticket_number_seq', (SELECT max(number) FROM tickets))`);
      await pg.query('VACUUM (ANALYZE) tickets');
      await pg.query('VACUUM (ANALYZE) ticket_queue_counters');
      const [{ n }] = (await pg.query('SELECT count(*)::int AS n FROM tickets')).rows;
      say(`tickets: ${n}`);
    });

    const url = `${stack.apiUrl}/api/v1/queues/stats`;
    const headers = { authorization: `Bearer ${stack.adminToken}` };
    const first = await fetch(url, { headers });
    const body = (await first.json()) as { ticketQueues: Array<{ queue: string | null; open: number; slaBreached: number }> };
    say(`one answer: ${first.status}, ${body.ticketQueues.length} ticket queues, open ${body.ticketQueues.reduce((a, q) => a + q.open, 0)}, breached ${body.ticketQueues.reduce((a, q) => a + q.slaBreached, 0)}`);
    await autocannon({ url, connections: CONNECTIONS, duration: 3, headers });
    for (const connections of [1, CONNECTIONS]) {
      say(`GET /api/v1/queues/stats: ${connections} connection(s) for ${DURATION} s …`);
      const result = await autocannon({ url, connections, duration: DURATION, headers });
      const line = `stats: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, non-2xx ${result.non2xx}, errors ${result.errors}`;
      say(line);
      process.stdout.write(`BENCH_RESULT ${JSON.stringify({ tickets: TICKETS, connections, requestsPerSecond: Math.round(result.requests.average), latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max }, non2xx: result.non2xx, errors: result.errors })}\n`);
      if (result.latency.p99 >= 50 || result.non2xx > 0) ok = false;
    }
    // Where a request's database time goes.
    await withPg(stack.databaseUrl, async (pg) => {
      const timed = async (name: string, sql: string) => {
        const plan = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
        say(`${name}: ${plan[plan.length - 1]}`);
      };
      await timed('counters', `SELECT queue, status, priority, unassigned, sum(n) FROM (SELECT queue, status, priority, unassigned, n FROM ticket_queue_counters UNION ALL SELECT queue, status, priority, unassigned, n FROM ticket_queue_counter_deltas) c GROUP BY 1,2,3,4`);
      await timed('flagged', `SELECT COALESCE(queue,''), count(*) FILTER (WHERE sla_first_response_breached OR sla_resolution_breached), count(*) FROM tickets WHERE status NOT IN ('resolved','closed') AND (sla_first_response_warned OR sla_resolution_warned) GROUP BY 1`);
      await timed('oldest', `SELECT q.queue, (SELECT min(t.created_at) FROM tickets t WHERE t.queue = q.queue AND t.status NOT IN ('resolved','closed')) FROM (SELECT DISTINCT queue FROM ticket_queue_counters WHERE queue <> '') q`);
    });
    return ok;
  });
}

main();
