/**
 * `npm run bench:dunning`: collections at scale against the BUILT api and worker.
 *
 * Seeds (SQL, no API): BENCH_CUSTOMERS (default 100,000) customers with a EUR billing account and
 * two subscriptions each (azure, microsoft_365), and BENCH_INVOICES (default 1,000,000) invoices of
 * one line each, spread evenly over the customers: BENCH_OVERDUE (default 10 %) open and 1–120 days
 * past due, 10 % open and not yet due, the rest paid. The collections policy (remind at 1 day, final
 * notice at 15, suspend everything at 30, minimum 10 EUR) is published through the API; provisioning
 * stays in manual mode (tasks), so the run is measured without webhook traffic.
 *
 * 1. Full run: `POST /dunning/runs {asOf: today − 15}` (the warnings: a suspension waits 15 days
 *    after the final notice actually sent), then `POST /dunning/runs` (today: the suspensions), each
 *    polled until the worker has completed it: seconds from the first POST. Then verified in SQL: every (invoice, step) that is due was applied exactly once (no pair
 *    missing, none twice, nothing applied that is not due), one suspension per customer with a
 *    suspend step due, every subscription of those customers suspended, one suspension notice each,
 *    never two warnings of an invoice on one day, no suspension before the notice period; a further
 *    run applies nothing.
 * 2. `GET /reports/receivables` at 1 and 4 connections for BENCH_REPORT_DURATION s (default 15): p50/p99.
 * 3. CSV import of BENCH_IMPORT (default 100,000) new invoices in one `POST /invoices/import`: seconds.
 *
 * BENCH_PG_STATEMENTS=1 prints the statements PostgreSQL spent the run's and the import's time on
 * (pg_stat_statements).
 *
 * Targets: run < 60 s, report p99 < 200 ms, import < 30 s. Exit code 1 when a check fails (not when
 * a target is missed: the figures go to bench/README.md with the machine's load).
 */
import autocannon from 'autocannon';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import {
  call,
  cpuBetween,
  cpuSeconds,
  cpuSnapshot,
  envNumber,
  machineDescription,
  say,
  runBench,
  startBenchWorker,
  stopBenchWorker,
  SUPPORT_PLAN,
  tail,
  withPg,
} from './bench-stack';

const CUSTOMERS = envNumber('BENCH_CUSTOMERS', 100_000);
const INVOICES = envNumber('BENCH_INVOICES', 1_000_000);
const OVERDUE = envNumber('BENCH_OVERDUE', 0.1);
const REPORT_DURATION = envNumber('BENCH_REPORT_DURATION', 15);
const IMPORT = envNumber('BENCH_IMPORT', 100_000);
const CHUNK = 100_000;
const POLICY = {
  timezone: 'Europe/Madrid',
  steps: [
    { action: 'remind', days: 1 },
    { action: 'final_notice', days: 15 },
    { action: 'suspend', days: 30, products: 'all', restoreRequires: 'overdue' },
  ],
  minimumAmounts: [{ currency: 'EUR', amount: '10.00' }],
};

const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';

/** The run's top statements by PostgreSQL time (BENCH_PG_STATEMENTS=1). */
async function statementStats(databaseUrl: string, reset: boolean): Promise<void> {
  if (!PG_STATEMENTS) return;
  await withPg(databaseUrl, async (pg) => {
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (reset) return void (await pg.query('SELECT pg_stat_statements_reset()'));
    const { rows } = await pg.query<{ calls: number; total: number; rows: number; query: string }>(
      `SELECT calls::int, total_exec_time::float8 AS total, rows::int, regexp_replace(query, '\\s+', ' ', 'g') AS query FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%' ORDER BY total_exec_time DESC LIMIT 15`,
    );
    for (const r of rows) say(`  statement: ${(r.total / 1000).toFixed(1)} s, ${r.calls} calls, ${r.rows} rows: ${r.query.slice(0, 170)}`);
  });
}

const result = (json: Record<string, unknown>) => process.stdout.write(`BENCH_RESULT ${JSON.stringify({ bench: 'dunning', ...json })}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const loadAverage = () => machineDescription().replace(/^.*load average /, '');

/** Invoice g of the seed (0-based): customer g % CUSTOMERS; the kind from a deterministic hash of g. */
const SEED_INVOICES = `
  WITH g AS (
    SELECT g, (hashint4(g) & 2147483647) % 1000 AS h, (hashint4(g + 7) & 2147483647) AS r FROM generate_series($1::int, $2::int - 1) AS g
  ), kinds AS (
    SELECT g, r,
           CASE WHEN h < $4::float8 * 1000 THEN 'overdue' WHEN h < $4::float8 * 1000 + 100 THEN 'current' ELSE 'paid' END AS kind
      FROM g
  ), rows AS (
    SELECT gen_random_uuid() AS id, 'B-' || lpad(g::text, 8, '0') AS number, c.id AS customer_id, kind,
           1000 + (r % 200000) AS total,
           CASE kind WHEN 'overdue' THEN $5::date - (1 + r % 120) WHEN 'current' THEN $5::date + (1 + r % 30) ELSE $5::date - (1 + r % 365) END AS due_on
      FROM kinds JOIN bench_customers c ON c.n = kinds.g % $3
  ), inv AS (
    INSERT INTO invoices (id, number, customer_id, issued_on, due_on, currency, total, paid, status, paid_at)
    SELECT id, number, customer_id, due_on - 30, due_on, 'EUR', total,
           CASE WHEN kind = 'paid' THEN total ELSE 0 END, CASE WHEN kind = 'paid' THEN 'paid' ELSE 'open' END,
           CASE WHEN kind = 'paid' THEN due_on::timestamptz END
      FROM rows
    RETURNING id, total
  )
  INSERT INTO invoice_lines (invoice_id, position, description, amount) SELECT id, 0, 'Azure consumption', total FROM inv`;

async function seed(databaseUrl: string, planId: string, today: string): Promise<void> {
  await withPg(databaseUrl, async (pg) => {
    let t = performance.now();
    await pg.query(`CREATE UNLOGGED TABLE bench_customers (n int PRIMARY KEY, id uuid NOT NULL)`);
    await pg.query(`INSERT INTO bench_customers SELECT n, gen_random_uuid() FROM generate_series(0, $1::int - 1) n`, [CUSTOMERS]);
    await pg.query(`INSERT INTO customers (id, name, domain, support_plan_id) SELECT id, 'Customer ' || n, 'customer-' || n || '.example', $1 FROM bench_customers`, [planId]);
    await pg.query(
      `INSERT INTO billing_accounts (customer_id, currency, payment_terms_days, contact_name, contact_email, locale)
       SELECT id, 'EUR', 30, 'Billing', 'billing@customer-' || n || '.example', CASE WHEN n % 3 = 0 THEN 'en' ELSE 'es' END FROM bench_customers`,
    );
    await pg.query(
      `INSERT INTO subscriptions (id, customer_id, product, vendor_subscription_id, tenant_id, offer_name, quantity, unit_price)
       SELECT gen_random_uuid(), id, p.product, gen_random_uuid()::text, 'customer-' || n || '.onmicrosoft.com', p.product || ' plan', 10, 1250
         FROM bench_customers CROSS JOIN (VALUES ('azure'), ('microsoft_365')) AS p(product)`,
    );
    say(`seeded ${CUSTOMERS} customers, accounts and ${CUSTOMERS * 2} subscriptions in ${r1((performance.now() - t) / 1000)} s`);
    t = performance.now();
    for (let from = 0; from < INVOICES; from += CHUNK) {
      await pg.query(SEED_INVOICES, [from, Math.min(INVOICES, from + CHUNK), CUSTOMERS, OVERDUE, today]);
      say(`  … ${Math.min(INVOICES, from + CHUNK)} invoices (${r1((performance.now() - t) / 1000)} s)`);
    }
    await pg.query(`DROP TABLE bench_customers`);
    await pg.query(`VACUUM ANALYZE invoices, invoice_lines, subscriptions, billing_accounts, customers`);
    say(`seeded ${INVOICES} invoices (+ lines) and vacuumed in ${r1((performance.now() - t) / 1000)} s`);
  });
}

/** Checks in SQL that the run applied every due step exactly once, and nothing else. */
async function verify(databaseUrl: string, today: string): Promise<{ ok: boolean; facts: Record<string, number> }> {
  return withPg(databaseUrl, async (pg) => {
    const { rows } = await pg.query(
      `WITH steps AS (SELECT s.ordinality - 1 AS step, (s.value->>'days')::int AS days, s.value->>'action' AS action
                        FROM collections_policy_versions v, jsonb_array_elements(v.steps) WITH ORDINALITY AS s(value, ordinality) WHERE v.version = 1),
            due AS (SELECT i.id AS invoice_id, st.step, st.action, i.customer_id FROM invoices i JOIN steps st ON i.due_on + st.days <= $1::date
                     WHERE i.status = 'open')
       SELECT (SELECT count(*) FROM due)::int AS due_pairs,
              (SELECT count(*) FROM dunning_actions)::int AS applied_rows,
              (SELECT count(DISTINCT (invoice_id, policy_version, step)) FROM dunning_actions)::int AS applied_distinct,
              (SELECT count(*) FROM due d WHERE NOT EXISTS (SELECT 1 FROM dunning_actions a WHERE a.invoice_id = d.invoice_id AND a.step = d.step AND a.policy_version = 1))::int AS missing,
              (SELECT count(*) FROM dunning_actions a WHERE NOT EXISTS (SELECT 1 FROM due d WHERE d.invoice_id = a.invoice_id AND d.step = a.step))::int AS not_due,
              (SELECT count(DISTINCT customer_id) FROM due WHERE action = 'suspend')::int AS customers_to_suspend,
              (SELECT count(*) FROM billing_suspensions)::int AS suspensions,
              (SELECT count(DISTINCT customer_id) FROM billing_suspensions)::int AS suspended_customers,
              (SELECT count(*) FROM subscriptions WHERE status = 'suspended')::int AS suspended_subscriptions,
              (SELECT count(*) FROM billing_notices)::int AS notices,
              (SELECT count(*) FROM billing_notices WHERE kind = 'suspension')::int AS suspension_notices,
              (SELECT count(*) FROM (SELECT 1 FROM dunning_actions WHERE action <> 'suspend' AND outcome = 'applied' GROUP BY invoice_id, applied_on HAVING count(*) > 1) w)::int AS piled_warnings,
              (SELECT count(*) FROM dunning_actions s WHERE s.action = 'suspend' AND NOT EXISTS (
                 SELECT 1 FROM dunning_actions w WHERE w.invoice_id = s.invoice_id AND w.action = 'final_notice' AND w.applied_on + 15 <= s.applied_on))::int AS unwarned_suspensions,
              (SELECT count(*) FROM provisioning_actions)::int AS provisioning_tasks,
              (SELECT count(*) FROM billing_events)::int AS events,
              ((SELECT COALESCE(sum(total - paid), 0) FROM invoices WHERE status = 'open')
                = (SELECT COALESCE(sum(amount), 0) FROM (SELECT amount FROM receivable_totals WHERE kind = 'open'
                                                        UNION ALL SELECT amount FROM receivable_deltas WHERE kind = 'open') r))::int AS totals_agree,
              ((SELECT (subscriptions + (SELECT COALESCE(sum(subscriptions), 0) FROM suspension_deltas),
                        customers + (SELECT COALESCE(sum(customers), 0) FROM suspension_deltas)) FROM suspension_totals)
                = (SELECT (count(*), count(DISTINCT customer_id)) FROM subscriptions WHERE status = 'suspended'))::int AS counts_agree`,
      [today],
    );
    const f = rows[0] as Record<string, number>;
    const checks: Array<[boolean, string]> = [
      [f.applied_rows === f.due_pairs, `applied (invoice, step) rows ${f.applied_rows} = due pairs ${f.due_pairs}`],
      [f.applied_rows === f.applied_distinct, `no (invoice, step) twice (${f.applied_rows} rows, ${f.applied_distinct} distinct)`],
      [f.missing === 0, `no due pair missing (${f.missing})`],
      [f.not_due === 0, `nothing applied that is not due (${f.not_due})`],
      [f.suspensions === f.customers_to_suspend && f.suspended_customers === f.customers_to_suspend, `one suspension per customer with a suspend step due (${f.suspensions} for ${f.customers_to_suspend})`],
      [f.suspended_subscriptions === f.customers_to_suspend * 2, `both subscriptions of those customers suspended (${f.suspended_subscriptions})`],
      [f.provisioning_tasks === f.suspensions, `one provisioning task per suspension (${f.provisioning_tasks})`],
      [f.suspension_notices === f.suspensions, `one suspension notice per suspension (${f.suspension_notices})`],
      [f.piled_warnings === 0, `never two warnings of an invoice on one day (${f.piled_warnings})`],
      [f.unwarned_suspensions === 0, `no suspension before 15 days after its final notice went out (${f.unwarned_suspensions})`],
      [f.totals_agree === 1, 'the receivables per-day totals add up to the open invoices'],
      [f.counts_agree === 1, 'the suspended subscription and customer counts agree with the subscriptions'],
    ];
    for (const [ok, line] of checks) say(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
    return { ok: checks.every(([ok]) => ok), facts: f };
  });
}

async function waitRun(apiUrl: string, token: string, id: string, timeoutMs: number): Promise<{ status: string; result: Record<string, unknown> | null; error: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await call<{ status: string; result: Record<string, unknown> | null; error: string | null }>({ apiUrl }, token, 'GET', `/api/v1/dunning/runs/${id}`);
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POSTs a text/csv body; the status and the JSON answer. */
function postCsv(url: string, token: string, csv: string): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': Buffer.byteLength(csv) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(csv);
  });
}

function main(): void {
  say(machineDescription());
  runBench({ name: 'dunning' }, async (stack) => {
    let failed = false;
    const token = stack.adminToken;
    const plan = await call<{ id: string }>(stack, token, 'POST', '/api/v1/support-plans', SUPPORT_PLAN);
    const policy = await call<{ effectiveOn: string }>(stack, token, 'PUT', '/api/v1/collections-policy', POLICY);
    const today = policy.effectiveOn;
    await seed(stack.databaseUrl, plan.id, today);
    const worker = await startBenchWorker(stack);
    try {
      // 1. The full run, in two: no customer is suspended without a warning and the notice period
      //    after it (libs/billing/README.md), so the seeded history — invoices 1–120 days overdue
      //    that no run has seen — is first run as of 15 days ago (the warnings: only the latest due
      //    per invoice), then as of today (the suspensions whose final notice went out 15 days ago,
      //    and the warnings that fell due since). Together they apply every step due today.
      say(`load average before the run: ${loadAverage()}`);
      const before = cpuSnapshot(stack);
      const workerCpu = cpuSeconds(worker.child.pid);
      await statementStats(stack.databaseUrl, true);
      const started = performance.now();
      const earlier = new Date(Date.parse(`${today}T12:00:00Z`) - 15 * 86_400_000).toISOString().slice(0, 10);
      const warned = await waitRun(stack.apiUrl, token, (await call<{ id: string }>(stack, token, 'POST', '/api/v1/dunning/runs', { asOf: earlier }, [202])).id, 600_000);
      const warnSeconds = (performance.now() - started) / 1000;
      const run = await waitRun(stack.apiUrl, token, (await call<{ id: string }>(stack, token, 'POST', '/api/v1/dunning/runs', {}, [202])).id, 600_000);
      const seconds = (performance.now() - started) / 1000;
      const cpu = { ...cpuBetween(before, cpuSnapshot(stack)), worker: r1((cpuSeconds(worker.child.pid) - workerCpu) / seconds) };
      say(`run as of ${earlier}: ${warned.status} in ${r1(warnSeconds)} s; result ${JSON.stringify(warned.result)}`);
      say(`run as of today: ${run.status} in ${r1(seconds - warnSeconds)} s; both ${r1(seconds)} s (target < 60 s); result ${JSON.stringify(run.result)}; CPU cores ${JSON.stringify(cpu)}; load average after ${loadAverage()}`);
      for (const r of [warned, run]) {
        if (r.status === 'completed') continue;
        failed = true;
        say(`run failed: ${r.error}\n${tail(worker.log)}`);
      }
      await statementStats(stack.databaseUrl, false);
      const { ok, facts } = await verify(stack.databaseUrl, today);
      failed ||= !ok;
      const again = performance.now();
      const repeat = await waitRun(stack.apiUrl, token, (await call<{ id: string }>(stack, token, 'POST', '/api/v1/dunning/runs', {}, [202])).id, 600_000);
      const repeatSeconds = (performance.now() - again) / 1000;
      const appliedAgain = Object.values((repeat.result as { applied: Record<string, number> }).applied).reduce((a, b) => a + b, 0);
      say(`${appliedAgain === 0 ? 'ok  ' : 'FAIL'} a second run applies nothing (${appliedAgain}) — ${r1(repeatSeconds)} s`);
      failed ||= appliedAgain !== 0;
      result({ phase: 'run', seconds: r1(seconds), warnSeconds: r1(warnSeconds), target: 60, customers: CUSTOMERS, invoices: INVOICES, warnResult: warned.result, result: run.result, facts, repeatSeconds: r1(repeatSeconds), cpuCores: cpu, load: loadAverage() });

      // 2. The receivables report.
      for (const connections of [1, 4]) {
        await autocannon({ url: `${stack.apiUrl}/api/v1/reports/receivables`, connections, duration: 2, headers: { authorization: `Bearer ${token}` } });
        const measured = await autocannon({ url: `${stack.apiUrl}/api/v1/reports/receivables`, connections, duration: REPORT_DURATION, headers: { authorization: `Bearer ${token}` } });
        const non200 = measured.non2xx;
        say(`GET /reports/receivables at ${connections} connection(s): ${Math.round(measured.requests.average)} req/s, p50 ${measured.latency.p50} ms, p99 ${measured.latency.p99} ms (target < 200), max ${measured.latency.max} ms, non-2xx ${non200}; load ${loadAverage()}`);
        failed ||= non200 > 0 || measured.errors > 0;
        result({ phase: 'receivables', connections, requestsPerSecond: Math.round(measured.requests.average), latencyMs: { p50: measured.latency.p50, p99: measured.latency.p99, max: measured.latency.max }, non2xx: non200, load: loadAverage() });
      }

      // 3. A CSV import of new invoices (due next month: nothing becomes due).
      const ids: string[] = await withPg(stack.databaseUrl, async (pg) => (await pg.query(`SELECT customer_id FROM billing_accounts ORDER BY customer_id LIMIT $1`, [IMPORT])).rows.map((r: { customer_id: string }) => r.customer_id));
      const lines = ['number,customerId,issuedOn,dueOn,currency,description,amount'];
      const run1 = randomUUID().slice(0, 8);
      for (let i = 0; i < IMPORT; i++) lines.push(`IMP-${run1}-${i},${ids[i % ids.length]},${today},2099-01-31,EUR,Microsoft 365 Business Premium × 10,${(100 + (i % 900)).toFixed(2)}`);
      const csv = `${lines.join('\n')}\n`;
      say(`importing ${IMPORT} invoices (${(Buffer.byteLength(csv) / 1024 / 1024).toFixed(1)} MiB of CSV) …`);
      await statementStats(stack.databaseUrl, true);
      const t = performance.now();
      const answer = await postCsv(`${stack.apiUrl}/api/v1/invoices/import`, token, csv);
      const importSeconds = (performance.now() - t) / 1000;
      const imported = answer.status === 200 ? (JSON.parse(answer.text) as { created: number }).created : 0;
      await statementStats(stack.databaseUrl, false);
      say(`${answer.status === 200 && imported === IMPORT ? 'ok  ' : 'FAIL'} import: ${answer.status} in ${r1(importSeconds)} s (target < 30 s): ${answer.text.slice(0, 300)}; load ${loadAverage()}`);
      failed ||= imported !== IMPORT;
      result({ phase: 'import', invoices: IMPORT, seconds: r1(importSeconds), target: 30, status: answer.status, load: loadAverage() });
    } finally {
      await stopBenchWorker(worker);
    }
    return !failed;
  });
}

main();
