/**
 * What a ticket's and a comment's search document costs PostgreSQL (`npm run bench:search-doc`):
 * the backend CPU of one connection (from /proc/<backend>/schedstat: time on a core, so waiting
 * for one under load does not count), split by part, with the intake's real statements on an
 * embedded PostgreSQL 18 with every migration run. The same bodies in every variant (a seeded
 * generator over bench/ticket-bodies.ts), so two builds compare back to back.
 *
 * Parts:
 *  - analysis alone (one statement over all bodies, no row written): the whole document, each
 *    configuration alone, and the parser alone (a configuration that maps no token type);
 *  - a ticket's insert (`INSERT_TICKET`, 16 a transaction as the mail listener's batches) with every
 *    trigger, without the search trigger, and without the search table's GIN indexes (all four, or
 *    the two partial `open` ones); each variant rolled back, so each starts from the same table;
 *  - a public comment's insert (`INSERT_COMMENT`) on committed tickets, the same variants;
 *  - the GIN pending lists' cleanup that each variant leaves (`gin_clean_pending_list` after it).
 *
 * BENCH_SEARCH_TICKETS (default 2000) tickets and as many comments; BENCH_SEARCH_ROUNDS (3) rounds,
 * the variants interleaved in each; BENCH_SEARCH_VARIANTS (e.g. `0,4,5`) the variants to run, by
 * their place in VARIANTS; BENCH_SEARCH_COMMENTS_BEFORE (0) comments every ticket gets before the measured
 * ones (a reply on a longer conversation). DATABASE_URL: a dedicated, migrated database instead.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '@helpdesk/database';
import { releaseEmbeddedPostgresSignalHooks, RunningPostgres, startEmbeddedPostgres } from '@helpdesk/devstack';
import { ADD_COMMENT, INSERT_COMMENT, INSERT_TICKET, RECORD_EVENT } from '../libs/intake/src/tickets/ticket-writes';
import { envNumber, say } from './bench-stack';
import { ticketText } from './ticket-bodies';

const TICKETS = envNumber('BENCH_SEARCH_TICKETS', 2000);
const ROUNDS = envNumber('BENCH_SEARCH_ROUNDS', 3);
const BATCH = 16;
const COMMENTS_BEFORE = envNumber('BENCH_SEARCH_COMMENTS_BEFORE', 0);
const SEARCH_GIN = ['ticket_search_staff_idx', 'ticket_search_public_idx', 'ticket_search_open_staff_idx', 'ticket_search_open_public_idx'];
const OPEN_GIN = SEARCH_GIN.slice(2);

/** A deterministic Math.random while `make` runs: every build and run gets the same bodies. */
function seeded<T>(seed: number, make: () => T): T {
  const real = Math.random;
  let s = seed >>> 0;
  Math.random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  try {
    return make();
  } finally {
    Math.random = real;
  }
}

/** Nanoseconds the process has spent on a core. */
function onCpuNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

interface Measured {
  ms: number;
  cleanupMs: number;
}

async function main(): Promise<void> {
  releaseEmbeddedPostgresSignalHooks();
  let postgres: RunningPostgres | undefined;
  let workDir: string | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    workDir = await mkdtemp(join(tmpdir(), 'helpdesk-search-doc-'));
    say(`starting the embedded PostgreSQL in ${workDir} …`);
    postgres = await startEmbeddedPostgres({ dataDir: join(workDir, 'postgres'), durable: true, database: 'helpdesk' });
    url = postgres.url;
  }
  try {
    // Two connections: the migration lock's and the migrations'.
    const dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 2, applicationName: 'bench-migrate' })).initialize();
    await runMigrationsLocked(dataSource);
    await dataSource.destroy();
    await run(url);
  } finally {
    if (postgres) await postgres.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

async function run(url: string): Promise<void> {
  const pg = new Client({ connectionString: url, application_name: 'bench-search-doc' });
  await pg.connect();
  try {
    await measure(pg);
  } finally {
    await pg.end();
  }
}

async function measure(pg: Client): Promise<void> {
  const backend = (await pg.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const cpu = async (work: () => Promise<unknown>): Promise<number> => {
    const before = onCpuNs(backend);
    await work();
    return (onCpuNs(backend) - before) / 1e6;
  };

  const tickets = seeded(20261206, () => Array.from({ length: TICKETS }, (_, i) => ticketText(i % 5 < 2)));
  const comments = seeded(1206, () => Array.from({ length: TICKETS }, (_, i) => `${i % 2 ? 'Reply' : 'Respuesta'} ${i}: ${ticketText(i % 2 === 0).description}`));
  const chars = (texts: string[]) => texts.reduce((s, t) => s + t.length, 0);
  say(`${TICKETS} tickets (subject + description ${(chars(tickets.map((t) => t.subject + t.description)) / TICKETS).toFixed(0)} characters on average), ${TICKETS} comments (${(chars(comments) / TICKETS).toFixed(0)})`);

  const plan = (await pg.query<{ id: string }>(`SELECT id FROM support_plans LIMIT 1`)).rows[0]?.id
    ?? (await pg.query<{ id: string }>(`INSERT INTO support_plans (name, timezone, contact_methods, targets) VALUES ('Bench', 'Europe/Madrid', '{email,portal}', '{}') RETURNING id`)).rows[0].id;
  const customerId = randomUUID();
  await pg.query(`INSERT INTO customers (id, name, domain, support_plan_id) VALUES ($1, 'Search bench', $2, $3)`, [customerId, `${customerId}.example`, plan]);
  await pg.query(`CREATE TEXT SEARCH CONFIGURATION bench_parse_only (PARSER = default)`).catch(() => undefined);

  const subjects = tickets.map((t) => t.subject);
  const descriptions = tickets.map((t) => t.description);
  const analysis = (expr: string, texts: string[][]) => () =>
    pg.query(`SELECT sum(length(${expr})) FROM unnest(${texts.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS x(${texts.length === 1 ? 's' : 's, d'})`, texts);
  const ANALYSES: Array<[string, () => Promise<unknown>]> = [
    ['ticket document (keys, subject A, description B)', analysis(`ticket_search_keys(1, '${customerId}') || ticket_search_doc(s, 'A') || ticket_search_doc(d, 'B')`, [subjects, descriptions])],
    ['  English analysis alone', analysis(`to_tsvector('helpdesk_en', s) || to_tsvector('helpdesk_en', d)`, [subjects, descriptions])],
    ['  Spanish analysis alone', analysis(`to_tsvector('helpdesk_es', s) || to_tsvector('helpdesk_es', d)`, [subjects, descriptions])],
    ['  the parser alone (no token type mapped)', analysis(`to_tsvector('bench_parse_only', s) || to_tsvector('bench_parse_only', d)`, [subjects, descriptions])],
    ['comment document', analysis(`ticket_search_doc(s, 'C')`, [comments])],
  ];

  let ticketNumber = 0;
  const insertTickets = async (from: number, to: number) => {
    for (let i = from; i < to; i += BATCH) {
      await pg.query('BEGIN');
      for (let j = i; j < Math.min(to, i + BATCH); j++) {
        const t = tickets[j];
        await pg.query({
          name: INSERT_TICKET.name,
          text: INSERT_TICKET.text,
          values: [randomUUID(), customerId, t.subject, t.description, 'technical', 'azure', null, 'P3', 'email', 'Bench', 'bench@example.com', `<bench-${ticketNumber++}@example.com>`, 'system', null, 'triage', 'triage'],
        });
      }
      await pg.query('COMMIT');
    }
  };
  // The tickets the comments land on, committed once.
  say('inserting the tickets the comments go to …');
  await insertTickets(0, TICKETS);
  const commentTickets = (await pg.query<{ id: string }>(`SELECT id FROM tickets WHERE customer_id = $1 ORDER BY number`, [customerId])).rows.map((r) => r.id);
  const cleanPending = () => pg.query(`SELECT ${SEARCH_GIN.map((i) => `gin_clean_pending_list('${i}')`).join(', ')}`);
  await cleanPending();
  await pg.query('VACUUM ANALYZE ticket_search, tickets, ticket_comments');

  const VARIANTS: Array<[string, string[]]> = [
    ['as migrated', []],
    ['without the search trigger', ['ALTER TABLE tickets DISABLE TRIGGER ticket_search_on_insert', 'ALTER TABLE ticket_comments DISABLE TRIGGER ticket_search_on_insert']],
    ['without the two partial open GIN', OPEN_GIN.map((i) => `DROP INDEX ${i}`)],
    ['without the four GIN', SEARCH_GIN.map((i) => `DROP INDEX ${i}`)],
    // The documents' storage: EXTENDED tries pglz first (before migration 1764005510000), EXTERNAL does not.
    ['documents STORAGE EXTENDED', ['ALTER TABLE ticket_search ALTER COLUMN public_doc SET STORAGE EXTENDED, ALTER COLUMN staff_doc SET STORAGE EXTENDED']],
    ['documents STORAGE EXTERNAL', ['ALTER TABLE ticket_search ALTER COLUMN public_doc SET STORAGE EXTERNAL, ALTER COLUMN staff_doc SET STORAGE EXTERNAL']],
    ['documents inline up to 8 kB (toast_tuple_target)', ['ALTER TABLE ticket_search SET (toast_tuple_target = 8160)']],
    // What a staff document kept only when it differs from the public one would save a public comment (its two GIN of four).
    ['without the two staff GIN', [SEARCH_GIN[0], SEARCH_GIN[2]].map((i) => `DROP INDEX ${i}`)],
    // Entries straight into the GIN trees instead of the pending list and its cleanup.
    ['GIN fastupdate off', SEARCH_GIN.map((i) => `ALTER INDEX ${i} SET (fastupdate = off)`)],
  ];
  const only = process.env.BENCH_SEARCH_VARIANTS?.split(',');
  if (only) VARIANTS.splice(0, VARIANTS.length, ...VARIANTS.filter((_, i) => only.includes(String(i))));
  /** Runs `work` in a transaction after `ddl`, rolled back; then the pending lists it left are cleaned (also measured). */
  const variant = async (ddl: string[], work: () => Promise<void>): Promise<Measured> => {
    await pg.query('BEGIN');
    for (const statement of ddl) await pg.query(statement);
    await pg.query('SAVEPOINT work');
    const ms = await cpu(work);
    await pg.query('ROLLBACK');
    const cleanupMs = await cpu(cleanPending);
    return { ms, cleanupMs };
  };
  const ticketWork = async () => {
    for (let i = 0; i < TICKETS; i++) {
      const t = tickets[i];
      if (i % BATCH === 0) await pg.query('SAVEPOINT batch');
      await pg.query({
        name: INSERT_TICKET.name,
        text: INSERT_TICKET.text,
        values: [randomUUID(), customerId, t.subject, t.description, 'technical', 'azure', null, 'P3', 'email', 'Bench', 'bench@example.com', `<bench-${ticketNumber++}@example.com>`, 'system', null, 'triage', 'triage'],
      });
      if (i % BATCH === BATCH - 1) await pg.query('RELEASE SAVEPOINT batch');
    }
  };
  // BENCH_SEARCH_COMMENTS_BEFORE (0): comments every ticket gets (committed) before the measured ones, so that a
  // measured comment lands on a document that already holds that many (each is rewritten whole into the GIN indexes).
  for (let k = 0; k < COMMENTS_BEFORE; k++) {
    say(`comment ${k + 1} of ${COMMENTS_BEFORE} on every ticket before the measured ones …`);
    for (let i = 0; i < TICKETS; i += BATCH) {
      await pg.query('BEGIN');
      for (let j = i; j < Math.min(TICKETS, i + BATCH); j++) await pg.query(INSERT_COMMENT, [commentTickets[j], 'staff', null, comments[(j + k + 1) % TICKETS], 'public', null]);
      await pg.query('COMMIT');
    }
    await cleanPending();
  }
  if (COMMENTS_BEFORE > 0) await pg.query('VACUUM ANALYZE ticket_search, ticket_comments');
  const commentWork = async () => {
    for (let i = 0; i < TICKETS; i++) {
      if (i % BATCH === 0) await pg.query('SAVEPOINT batch');
      await pg.query(INSERT_COMMENT, [commentTickets[i % commentTickets.length], 'staff', null, comments[i], 'public', null]);
      if (i % BATCH === BATCH - 1) await pg.query('RELEASE SAVEPOINT batch');
    }
  };

  // A staff first reply as the API writes it: the comment, two events, the first-response mark and the agent's
  // name in five statements (before this branch) against ADD_COMMENT's one. Each on its own ticket; rolled back.
  const agentId = (await pg.query<{ id: string }>(`INSERT INTO agents (name, email, roles) VALUES ('Bench agent', $1, '{helpdesk_agent}') RETURNING id`, [`${customerId}@agents.example`])).rows[0].id;
  const replyWays: Array<[string, (i: number) => Promise<unknown>]> = [
    ['five statements', async (i) => {
      const t = commentTickets[i % commentTickets.length];
      const [c] = (await pg.query<{ id: string; created_at: Date }>(INSERT_COMMENT, [t, 'staff', agentId, comments[i], 'public', null])).rows;
      await pg.query(RECORD_EVENT, [t, 'commented', 'staff', agentId, JSON.stringify({ commentId: c.id, visibility: 'public' }), c.created_at]);
      await pg.query(`UPDATE tickets SET first_responded_at = $2, updated_at = $2 WHERE id = $1`, [t, c.created_at]);
      await pg.query(RECORD_EVENT, [t, 'first_response', 'staff', agentId, JSON.stringify({ commentId: c.id }), c.created_at]);
      await pg.query(`SELECT name FROM agents WHERE id = $1`, [agentId]);
    }],
    ['ADD_COMMENT', (i) => pg.query(ADD_COMMENT.text, [commentTickets[i % commentTickets.length], 'staff', agentId, comments[i], 'public', null, true])],
  ];
  const replyWork = (write: (i: number) => Promise<unknown>) => async () => {
    for (let i = 0; i < TICKETS; i++) await write(i);
  };

  const results = new Map<string, number[]>();
  const add = (key: string, value: number) => results.set(key, [...(results.get(key) ?? []), value]);
  for (let round = 1; round <= ROUNDS; round++) {
    say(`round ${round} of ${ROUNDS} …`);
    for (const [name, work] of ANALYSES) add(`analysis: ${name}`, (await cpu(work)) / TICKETS);
    for (const [name, write] of replyWays) add(`staff first reply: ${name}`, (await variant([], replyWork(write))).ms / TICKETS);
    for (const [name, ddl] of VARIANTS) {
      const t = await variant(ddl, ticketWork);
      add(`ticket insert: ${name}`, t.ms / TICKETS);
      add(`ticket insert: ${name}, pending-list cleanup after`, t.cleanupMs / TICKETS);
      const c = await variant(ddl, commentWork);
      add(`public comment insert: ${name}`, c.ms / TICKETS);
      add(`public comment insert: ${name}, pending-list cleanup after`, c.cleanupMs / TICKETS);
    }
  }
  say(`backend CPU, ms per ticket or comment (${ROUNDS} rounds):`);
  const width = Math.max(...[...results.keys()].map((k) => k.length));
  for (const [key, values] of results) say(`  ${key.padEnd(width)}  ${values.map((v) => v.toFixed(3)).join('  ')}`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
