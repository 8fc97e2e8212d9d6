/**
 * `node dist/bench/search-cost.js`: what a relevance search costs PostgreSQL, in figures a loaded
 * machine does not move: the backend's CPU per request (`/proc/<pid>/schedstat`, PostgreSQL on this
 * machine) and the buffers of every statement (EXPLAIN (ANALYZE, BUFFERS)). Each request is the API's
 * own: TicketFinder.page (the first page of `GET /tickets?q=…&limit=50`, the bench's queries and
 * actors) over one connection, so every statement it sends — the newest number, the walk's steps,
 * the page's rows — is measured.
 *
 * Environment: DATABASE_URL (a database seeded by `bench:workbench`), SEARCH_INTAKE (the built
 * `@helpdesk/intake` to measure, e.g. another build's `dist/libs/intake/src/index.js`; default this
 * build's), SEARCH_CLASSES (comma-separated words of the class names, default all), SEARCH_REPEAT
 * (CPU samples per query, median kept; default 3), SEARCH_STEPS=1 (each statement's buffers, rows and
 * plan root per query), SEARCH_DUMP (a file: every statement of the EXPLAIN run appended as a JSON line
 * `[label, sql, values]`, to time a statement alone).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { TicketFinder as Finder, TicketListRequest, TicketScope } from '@helpdesk/intake';
import { QUERIES } from './search-corpus';

type Intake = { TicketFinder: new (dataSource: never, hooks: never) => Finder; TicketHooks: new () => unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const intake = require(process.env.SEARCH_INTAKE ?? join(__dirname, '../libs/intake/src/index.js')) as Intake;
const REPEAT = Number(process.env.SEARCH_REPEAT ?? 3);
const ONLY = (process.env.SEARCH_CLASSES ?? '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
const STEPS = process.env.SEARCH_STEPS === '1';
const DUMP = process.env.SEARCH_DUMP;

/** CPU nanoseconds the process has run (the first field of schedstat). */
const cpuNs = (pid: number) => BigInt(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);

interface Plan {
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  'Node Type': string;
  'Actual Rows': number;
}

async function main(): Promise<void> {
  const pg = new Client({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  const [{ pid }] = (await pg.query(`SELECT pg_backend_pid() AS pid`)).rows as Array<{ pid: number }>;
  const [{ id: agentId }] = (await pg.query(`SELECT id FROM agents WHERE email = 'bench-agent@partner.example'`)).rows as Array<{ id: string }>;
  const [{ id: customerId }] = (await pg.query(`SELECT id FROM customers ORDER BY created_at, id LIMIT 1`)).rows as Array<{ id: string }>;
  const staff: TicketScope = { audience: 'staff', agentId, worksCategories: 'all' };
  const customer: TicketScope = { audience: 'customer', customerId };
  const words = (lang: 'en' | 'es') => [...QUERIES[lang].frequent, ...QUERIES[lang].medium, ...QUERIES[lang].rare];
  const statuses = ['triaged', 'in_progress', 'waiting_on_customer'] as const;
  const classes: Array<[string, TicketScope, TicketListRequest[]]> = [
    ['one English word', staff, words('en').map((q) => ({ q }))],
    ['one Spanish word', staff, words('es').map((q) => ({ q }))],
    ['two English words', staff, QUERIES.en.twoWords.map((q) => ({ q }))],
    ['two Spanish words', staff, QUERIES.es.twoWords.map((q) => ({ q }))],
    ['customer token', customer, [...words('en'), ...words('es'), ...QUERIES.en.twoWords, ...QUERIES.es.twoWords].map((q) => ({ q }))],
    ['one word + status', staff, [...words('en'), ...words('es')].flatMap((q) => statuses.map((status) => ({ q, status: [status] })))],
  ];

  let explaining = false;
  let steps: string[] = [];
  let buffers = 0;
  let statements = 0;
  let label = '';
  /** Every statement the finder sends, plain or prepared (a name: planned once on this connection, as on the API's pooled ones). */
  const send = async (config: { name?: string; text: string; values?: unknown[] }) => {
    const values = config.values ?? [];
    statements++;
    if (explaining) {
      const [{ 'QUERY PLAN': [out] }] = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${config.text}`, values)).rows as Array<{ 'QUERY PLAN': Array<{ Plan: Plan }> }>;
      const b = out.Plan['Shared Hit Blocks'] + out.Plan['Shared Read Blocks'];
      buffers += b;
      if (DUMP) appendFileSync(DUMP, `${JSON.stringify([label, config.text, values, config.name ?? null])}\n`);
      steps.push(`${b} buffers, ${out.Plan['Actual Rows']} rows${config.name ? ' (prepared)' : ''}: ${config.text.replace(/\s+/g, ' ').slice(0, 160)} ${JSON.stringify(values).slice(0, 120)}`);
    }
    return pg.query(config.name ? { name: config.name, text: config.text, values } : { text: config.text, values });
  };
  const dataSource = {
    query: async (text: string, values: unknown[] = []) => (await send({ text, values })).rows,
    manager: { queryRunner: undefined, connection: { driver: { master: { query: send } } } },
  };
  // The hooks of no other context: the page selects intake's own columns.
  const finder = new intake.TicketFinder(dataSource as never, new intake.TicketHooks() as never);
  const request = (scope: TicketScope, r: TicketListRequest) => finder.page(scope, { ...r, limit: 50 });

  // The first search of a session loads the dictionaries: not what the API's kept connections pay.
  await request(staff, { q: 'warm up' });
  for (const [name, scope, requests] of classes) {
    if (ONLY.length && !ONLY.some((w) => name.toLowerCase().includes(w))) continue;
    let cpuSum = 0;
    let bufferSum = 0;
    let statementSum = 0;
    const perQuery: Array<[string, number, number, number]> = [];
    for (const r of requests) {
      label = `${r.q}${r.status ? ` [${r.status.join(',')}]` : ''}`;
      await request(scope, r);
      const samples: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const before = cpuNs(pid);
        statements = 0;
        await request(scope, r);
        samples.push(Number(cpuNs(pid) - before) / 1e6);
      }
      const ms = samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
      const n = statements;
      explaining = true;
      buffers = 0;
      steps = [];
      await request(scope, r);
      explaining = false;
      cpuSum += ms;
      bufferSum += buffers;
      statementSum += n;
      perQuery.push([label, ms, buffers, n]);
      if (STEPS) for (const s of steps) process.stdout.write(`      ${label}: ${s}\n`);
    }
    process.stdout.write(`${name} (${requests.length} queries): CPU ${cpuSum.toFixed(1)} ms, ${bufferSum} buffers, ${statementSum} statements\n`);
    for (const [l, ms, b, n] of perQuery.sort((x, y) => y[1] - x[1])) process.stdout.write(`    ${l}: CPU ${ms.toFixed(2)} ms, ${b} buffers, ${n} statements\n`);
    process.stdout.write(`SEARCH_COST ${JSON.stringify({ name, queries: requests.length, cpuMs: Number(cpuSum.toFixed(1)), buffers: bufferSum, statements: statementSum })}\n`);
  }
  await pg.end();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
