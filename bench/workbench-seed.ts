/**
 * Seeds the workbench bench: a million tickets with Spanish and English text (search-corpus.ts),
 * three million comments (a quarter internal), SLA clocks on the open ones, assignees, queues and
 * tags, then the search index and the tag counters as the migrations build them for existing rows
 * (`ticket_search_rebuild`, the tag backfill). INSERT … SELECT generate_series in chunks, with the
 * secondary indexes dropped while loading and triggers off (the index is built once afterwards).
 */
import type { Client } from 'pg';
import { FOLD_COUNTER_DELTAS_SQL } from '@helpdesk/monitoring';
import { say } from './bench-stack';
import { commentSql, descriptionSql, subjectSql } from './search-corpus';
import { priorityCase, queueCase, statusCase } from './ticket-shapes';

const CHUNK = 100_000;
const SEARCH_CHUNK = 50_000;

const TAGS = [
  'vip', 'outage', 'renewal', 'refund', 'mfa', 'licensing', 'migration', 'dispute', 'training', 'partner-center',
  'exchange', 'teams', 'sharepoint', 'intune', 'azure-ad', 'backup', 'security', 'billing-error', 'quote', 'onboarding',
  'p1-review', 'known-issue', 'vendor-case', 'credit-note', 'overdue', 'upgrade', 'downgrade', 'cancellation', 'tenant-move', 'gdpr',
];

/** 40 % of the tickets are in Spanish, the same ones for their comments. */
const SPANISH = (number: string) => `(${number} * 7919) % 10 < 4`;

const resolutionMinutes = `(CASE p.priority WHEN 'P1' THEN 240 WHEN 'P2' THEN 480 WHEN 'P3' THEN 1440 ELSE 4320 END)`;
const firstResponseMinutes = `(CASE p.priority WHEN 'P1' THEN 15 WHEN 'P2' THEN 60 WHEN 'P3' THEN 240 ELSE 480 END)`;

/**
 * Ticket k is k·20 s younger than ticket k−1 (≈ 230 days for a million). The last 3 % are open work
 * with running SLA clocks (due dates around now: some breached, some due within hours, most later);
 * older tickets are mostly closed or resolved, with a thin stale tail still open. 40 % Spanish.
 * $1/$2 the numbers, $3 the total, $4 the customers' ids, $5 the agents' ids.
 */
const SEED_TICKETS = `
  INSERT INTO tickets (id, number, customer_id, subject, description, category, product, severity, priority,
                       status, channel, requester_name, requester_email, queue, assignee_id, tags, external_id,
                       first_responded_at, triaged_at, resolved_at, sla_started_at, first_response_due_at, first_response_warn_at,
                       resolution_due_at, resolution_warn_at, sla_paused_since, created_at, updated_at)
  SELECT gen_random_uuid(), g, ($4::uuid[])[1 + floor(array_length($4::uuid[], 1) * power(x.r_customer, 2))::int],
         ${subjectSql('x.spanish')}, ${descriptionSql('x.spanish', 'x.r_desc')},
         (ARRAY['billing', 'subscription_management', 'technical', NULL])[1 + floor(x.r_cat * 4)::int],
         (ARRAY['azure', 'microsoft_365', 'dynamics_365', 'other', NULL])[1 + floor(x.r_prod * 5)::int],
         CASE WHEN x.r_sev < 0.6 THEN p.priority END, p.priority, s.status,
         (ARRAY['portal', 'email', 'phone', 'api'])[1 + floor(x.r_chan * 4)::int],
         'Requester ' || (g % 997), 'requester' || (g % 997) || '@customer.example',
         CASE WHEN s.status = 'new' AND x.r_queue_null < 0.8 THEN NULL ELSE ${queueCase('x.r_queue')} END,
         CASE WHEN s.status NOT IN ('new', 'triaged') AND x.r_assign < 0.9 OR s.status = 'triaged' AND x.r_assign < 0.3
              THEN ($5::uuid[])[1 + floor(array_length($5::uuid[], 1) * x.r_agent)::int] END,
         CASE WHEN x.r_tags < 0.3 THEN ARRAY(SELECT DISTINCT (${sqlTags()})[1 + floor(${TAGS.length} * power(random(), 2))::int]
                                               FROM generate_series(1, 1 + floor(x.r_tags * 10)::int) AS k(i))
              ELSE '{}' END,
         CASE WHEN x.r_ext < 0.3 THEN 'SEED-' || g END,
         CASE WHEN s.status NOT IN ('new', 'triaged') THEN t.created_at + interval '25 minutes' END,
         CASE WHEN s.status <> 'new' THEN t.created_at + interval '2 minutes' END,
         CASE WHEN s.status IN ('resolved', 'closed') THEN t.created_at + interval '1 day' END,
         CASE WHEN s.status <> 'new' THEN t.created_at + interval '2 minutes' END,
         CASE WHEN s.status <> 'new' THEN t.created_at + ${firstResponseMinutes} * interval '1 minute' END,
         CASE WHEN s.status <> 'new' THEN t.created_at + ${firstResponseMinutes} * interval '45 seconds' END,
         CASE WHEN s.status <> 'new' THEN t.created_at + ${resolutionMinutes} * interval '1 minute' * (1 + 3 * x.r_due) END,
         CASE WHEN s.status <> 'new' THEN t.created_at + ${resolutionMinutes} * interval '45 seconds' * (1 + 3 * x.r_due) END,
         CASE WHEN s.status = 'waiting_on_customer' THEN t.created_at + interval '3 hours' END,
         t.created_at, least(now(), t.created_at + x.r_upd * interval '2 days')
    FROM generate_series($1::bigint, $2::bigint) AS g
   CROSS JOIN LATERAL (SELECT random() AS r_customer, random() AS r_cat, random() AS r_prod, random() AS r_sev, random() AS r_chan,
                              random() AS r_queue, random() AS r_queue_null, random() AS r_ext, random() AS r_status, random() AS r_prio,
                              random() AS r_assign, random() AS r_agent, random() AS r_tags, random() AS r_desc, random() AS r_due,
                              random() AS r_upd, ${SPANISH('g')} AS spanish, g::float8 / $3::float8 AS age) AS x
   CROSS JOIN LATERAL (SELECT now() - ($3::bigint - g) * interval '20 seconds' AS created_at) AS t
   CROSS JOIN LATERAL (SELECT ${priorityCase('x.r_prio')} AS priority) AS p
   CROSS JOIN LATERAL (SELECT ${statusCase('x.age', 'x.r_status')} AS status) AS s`;

function sqlTags(): string {
  return `ARRAY[${TAGS.map((t) => `'${t}'`).join(', ')}]`;
}

/** 0–6 comments a ticket (3 on average), a quarter of them internal, in the ticket's language. */
const SEED_COMMENTS = `
  INSERT INTO ticket_comments (ticket_id, author_kind, author_id, body, visibility, created_at)
  SELECT t.id, CASE WHEN x.internal OR k % 2 = 0 THEN 'staff' ELSE 'customer' END, NULL,
         ${commentSql('x.spanish', 'x.internal')}, CASE WHEN x.internal THEN 'internal' ELSE 'public' END,
         t.created_at + k * interval '1 hour'
    FROM tickets t
   CROSS JOIN LATERAL (SELECT floor(random() * 7)::int + 0 * t.number::int AS n) AS c
   CROSS JOIN LATERAL generate_series(1, c.n) AS k
   CROSS JOIN LATERAL (SELECT random() < 0.25 + 0 * k AS internal, ${SPANISH('t.number')} AS spanish) AS x
   WHERE t.number BETWEEN $1 AND $2`;

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await work();
  say(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Indexes that are not constraints, dropped before a bulk load and made again from their definitions afterwards. */
async function secondaryIndexes(pg: Client, tables: string[]): Promise<Array<{ indexname: string; indexdef: string }>> {
  return (
    await pg.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY ($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [tables],
    )
  ).rows as Array<{ indexname: string; indexdef: string }>;
}

export async function seedWorkbench(pg: Client, tickets: number, customerIds: string[], agentIds: string[]): Promise<void> {
  const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM tickets`)).rows as Array<{ n: number }>;
  if (n >= tickets) {
    say(`the table already holds ${n} tickets: not seeding`);
    // A database seeded before the seed made them has counters of nothing (the triggers were off).
    const [{ counted }] = (await pg.query(`SELECT (SELECT COALESCE(sum(n), 0) FROM ticket_queue_counters) + (SELECT COALESCE(sum(n), 0) FROM ticket_queue_counter_deltas) AS counted`)).rows as Array<{ counted: string }>;
    if (Number(counted) !== n) await timed(`queue counters (${counted} of ${n} tickets) and agents' open tickets made again`, () => rebuildTicketCounters(pg));
    // No worker runs here: the deltas of earlier runs' writes folded, as its compactor does every 2 s.
    else await timed('queue counter deltas folded', () => pg.query(FOLD_COUNTER_DELTAS_SQL));
    return;
  }
  if (n > 0) throw new Error(`the database holds ${n} tickets, fewer than ${tickets}: give the bench an empty (or fully seeded) database`);
  const started = Date.now();
  await pg.query(`SET synchronous_commit = off`);
  await pg.query(`SET maintenance_work_mem = '512MB'`);
  await pg.query(`SET work_mem = '64MB'`);
  // Triggers off while loading: the search index and the counters are built once, afterwards.
  await pg.query(`SET session_replication_role = replica`);
  const indexes = await secondaryIndexes(pg, ['tickets', 'ticket_comments', 'ticket_search']);
  for (const { indexname } of indexes) await pg.query(`DROP INDEX "${indexname}"`);

  for (let from = 1; from <= tickets; from += CHUNK) {
    const to = Math.min(tickets, from + CHUNK - 1);
    await timed(`tickets ${to.toLocaleString('en')}`, () => pg.query(SEED_TICKETS, [from, to, tickets, customerIds, agentIds]));
  }
  for (let from = 1; from <= tickets; from += CHUNK) {
    const to = Math.min(tickets, from + CHUNK - 1);
    await timed(`comments of tickets up to ${to.toLocaleString('en')}`, () => pg.query(SEED_COMMENTS, [from, to]));
  }
  await pg.query(`SELECT setval('ticket_number_seq', (SELECT max(number) FROM tickets))`);
  await timed('ticket_comments (ticket_id, created_at) index', () =>
    pg.query(indexes.find((i) => i.indexname === 'ticket_comments_ticket_idx')?.indexdef ?? 'SELECT 1'),
  );
  // The rows the rebuild makes take the column's default (open, as a filed ticket is): closed while
  // loading, then the open tickets' rows (the few) marked as the trigger would have.
  await pg.query(`ALTER TABLE ticket_search ALTER COLUMN open SET DEFAULT false`);
  for (let from = 1; from <= tickets; from += SEARCH_CHUNK) {
    const to = Math.min(tickets, from + SEARCH_CHUNK - 1);
    await timed(`search documents of tickets up to ${to.toLocaleString('en')}`, () =>
      pg.query(`SELECT ticket_search_rebuild(ARRAY(SELECT id FROM tickets WHERE number BETWEEN $1 AND $2))`, [from, to]),
    );
  }
  await timed('open tickets marked in ticket_search', () =>
    pg.query(`UPDATE ticket_search s SET open = true FROM tickets t WHERE t.id = s.ticket_id AND t.status NOT IN ('resolved', 'closed')`),
  );
  await pg.query(`ALTER TABLE ticket_search ALTER COLUMN open SET DEFAULT true`);
  await timed('open_ticket_statuses', () =>
    pg.query(`INSERT INTO open_ticket_statuses (number, status) SELECT number, status FROM tickets WHERE status NOT IN ('resolved', 'closed')`),
  );
  await timed('queue counters and agents\' open tickets', () => rebuildTicketCounters(pg));
  await timed('tag counters', async () => {
    await pg.query(`TRUNCATE ticket_tag_counts, ticket_tag_count_deltas`);
    await pg.query(`INSERT INTO ticket_tag_counts (tag, n) SELECT tag, count(*) FROM tickets, LATERAL (SELECT DISTINCT unnest(tags)) AS t(tag) GROUP BY tag`);
  });
  await pg.query(`SET session_replication_role = DEFAULT`);
  for (const { indexname, indexdef } of indexes) {
    if (indexname === 'ticket_comments_ticket_idx') continue;
    await timed(`index ${indexname}`, () => pg.query(indexdef));
  }
  await timed('VACUUM (ANALYZE) tickets, ticket_comments, ticket_search, open_ticket_statuses', () =>
    pg.query(`VACUUM (ANALYZE) tickets, ticket_comments, ticket_search, open_ticket_statuses`),
  );
  say(`seeding took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The counters the tickets' triggers keep in every write (monitoring's queue counters, auth's
 * `agents.open_tickets`: what the queue stats, triage's least-loaded agent and the views' counts
 * read), made from the tickets, which the seed loads with the triggers off. Writers of tickets wait
 * meanwhile (SHARE lock): no change falls between the count and the counters.
 */
export async function rebuildTicketCounters(pg: Client): Promise<void> {
  await pg.query('BEGIN');
  try {
    await pg.query('LOCK TABLE tickets IN SHARE MODE');
    await pg.query('DELETE FROM ticket_queue_counter_deltas');
    await pg.query('DELETE FROM ticket_queue_counters');
    await pg.query(`INSERT INTO ticket_queue_counters (queue, status, priority, unassigned, n)
                    SELECT COALESCE(queue, ''), status, priority, assignee_id IS NULL, count(*) FROM tickets GROUP BY 1, 2, 3, 4`);
    await pg.query(`UPDATE agents a SET open_tickets = COALESCE(c.n, 0)
                      FROM agents b LEFT JOIN (SELECT assignee_id, count(*)::int AS n FROM tickets
                                                WHERE assignee_id IS NOT NULL AND status NOT IN ('resolved', 'closed') GROUP BY 1) c ON c.assignee_id = b.id
                     WHERE a.id = b.id AND a.open_tickets <> COALESCE(c.n, 0)`);
    await pg.query('COMMIT');
  } catch (error) {
    await pg.query('ROLLBACK');
    throw error;
  }
}

/** Sizes for the report. */
export async function tableSizes(pg: Client): Promise<string> {
  const rows = (
    await pg.query(
      `SELECT relname, pg_size_pretty(pg_relation_size(c.oid)) AS heap,
              pg_size_pretty(pg_total_relation_size(c.oid) - pg_relation_size(c.oid) - pg_indexes_size(c.oid)) AS toast,
              pg_size_pretty(pg_indexes_size(c.oid)) AS indexes
         FROM pg_class c WHERE relname IN ('tickets', 'ticket_comments', 'ticket_search') ORDER BY relname`,
    )
  ).rows as Array<{ relname: string; heap: string; toast: string; indexes: string }>;
  const gin = (
    await pg.query(`SELECT relname, pg_size_pretty(pg_relation_size(oid)) AS size FROM pg_class WHERE relname IN ('ticket_search_staff_idx', 'ticket_search_public_idx', 'ticket_search_open_staff_idx', 'ticket_search_open_public_idx', 'tickets_tags_idx', 'tickets_open_tags_idx')`)
  ).rows as Array<{ relname: string; size: string }>;
  return [...rows.map((r) => `${r.relname}: heap ${r.heap}, toast ${r.toast}, indexes ${r.indexes}`), ...gin.map((g) => `${g.relname}: ${g.size}`)].join('; ');
}
