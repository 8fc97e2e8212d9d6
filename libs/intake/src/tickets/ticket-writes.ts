import { outboxRowPerRowSql, prepared } from '@helpdesk/database';
import type { TicketRow } from './ticket.view';

/*
 * Every statement, and every part of a statement, that writes `tickets`, `ticket_events` or
 * `ticket_comments`. Intake owns these tables: triage and escalation write them only by composing
 * what this module exports (into their own single statements, so their round trips stay theirs),
 * and a change to how a ticket or its timeline is written is made here once. The batch write of
 * triage decisions is a database function whose body is triage-write.sql beside this file.
 */

// ── Timeline ────────────────────────────────────────────────────────────────────────────────────

/** SQL expressions (or parameters) for the columns of one timeline event. */
export interface EventColumns {
  ticketId: string;
  type: string;
  actorKind: string;
  actorId: string;
  data: string;
  /** Defaults to now(). */
  at?: string;
}

/** One event per row of `from` (a CTE, with `where` if given), e.g. `event AS (${eventPerRowSql(…)})`. */
export function eventPerRowSql(from: string, e: EventColumns, tail = ''): string {
  return `INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
    SELECT ${e.ticketId}, ${e.type}, ${e.actorKind}, ${e.actorId}, ${e.data}, ${e.at ?? 'now()'} FROM ${from}${tail ? ` ${tail}` : ''}`;
}

/**
 * The events of a jsonb array `[{type, data, actorKind?, actorId?}]` for the ticket in CTE `changed`,
 * in the array's order; `params` are the parameter numbers of the actor kind, actor id (of events
 * that name none: the change's), the instant and the array.
 */
function eventListSql(params: { actorKind: number; actorId: number; at: number; events: number }): string {
  return `INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
    SELECT changed.id, e.value->>'type',
           CASE WHEN e.value ? 'actorKind' THEN e.value->>'actorKind' ELSE $${params.actorKind}::text END,
           CASE WHEN e.value ? 'actorKind' THEN (e.value->>'actorId')::uuid ELSE $${params.actorId}::uuid END,
           e.value->'data', $${params.at}::timestamptz
      FROM changed, jsonb_array_elements($${params.events}::jsonb) WITH ORDINALITY AS e(value, ord)
     ORDER BY e.ord`;
}

/** One event: $1 ticket, $2 type, $3 actor kind, $4 actor id, $5 data, $6 at (null: now). */
export const RECORD_EVENT = `INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at) VALUES ($1, $2, $3, $4, $5, COALESCE($6, now()))`;

// ── Intake ──────────────────────────────────────────────────────────────────────────────────────

/** The `created` event of each new ticket in `from`, with the intake facts it was filed with. */
export function createdEventSql(from: string, actorKind: string, actorId: string): string {
  return eventPerRowSql(from, {
    ticketId: 'id',
    type: `'created'`,
    actorKind,
    actorId,
    data: `jsonb_build_object('number', number, 'channel', channel, 'category', category,
                              'product', product, 'severity', severity, 'priority', priority)`,
    at: 'created_at',
  });
}

/**
 * Whether a ticket arriving by `channel` came by a way its customer's plan does not offer (phone on a
 * plan without phone support): the ticket is kept and flagged to the agent. The API channel is the
 * partner's own integration, never a customer's choice, so it is never flagged.
 */
function channelNotInPlanSql(customerId: string, channel: string): string {
  return `(${channel}::text <> 'api' AND NOT EXISTS (
      SELECT 1 FROM customers c JOIN support_plans p ON p.id = c.support_plan_id
       WHERE c.id = ${customerId}::uuid AND ${channel}::text = ANY (p.contact_methods)))`;
}

/**
 * The ticket row, its `created` event (then `channel_not_in_plan` when so: it reads `created_event`'s
 * rows, which writes it after, in timeline order) and its hand-off to the triage queue (an outbox row) in one
 * statement: all or nothing, one round trip. No row when the customer's `externalId` was used
 * before. $1–$12 the ticket's columns, $13/$14 the actor, $15/$16 the triage queue and job name.
 */
export const INSERT_TICKET = prepared(
  'intake_insert_ticket',
  `
  WITH t AS (
    INSERT INTO tickets (id, customer_id, subject, description, category, product, severity, priority,
                         channel, requester_name, requester_email, external_id, channel_not_in_plan)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, ${channelNotInPlanSql('$2', '$9')})
    ON CONFLICT (customer_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING *
  ), created_event AS (
    ${createdEventSql('t', '$13', '$14')} RETURNING ticket_id
  ), channel_flag_event AS (
    ${eventPerRowSql('created_event JOIN t ON t.id = created_event.ticket_id', { ticketId: 't.id', type: `'channel_not_in_plan'`, actorKind: `'system'`, actorId: 'NULL', data: `jsonb_build_object('channel', t.channel)`, at: 't.created_at' }, 'WHERE t.channel_not_in_plan')}
  ), handoff AS (
    ${outboxRowPerRowSql('t', { queue: '$15', jobName: '$16', jobId: 'id::text', payload: `jsonb_build_object('ticketId', id)` })}
  )
  SELECT * FROM t`,
);

/**
 * INSERT_TICKET for the tickets a channel files in one transaction (the e-mail listener's batch),
 * each filed by its own customer (the actor of its `created` event), with no category, product or
 * severity (priority P3 until triage): the rows, their events and their triage hand-off in one
 * statement, numbered in the arrays' order. The hand-off is one triage job for all of them
 * (`ticketIds` in their numbers' order; job id `batch.<the smallest ticket id>`, so a relay adding it
 * again adds nothing): one job's Redis work for the batch instead of one a ticket. $1–$8 arrays, one element a ticket: id, customer,
 * subject, description, channel, requester's name and address, externalId; $9/$10 the triage queue
 * and job name. A ticket whose `externalId` its customer used before returns no row. The arrays are
 * read through sub-selects so that the planner estimates every batch alike: named (the listener's
 * batches), the statement then keeps its generic plan after five calls, where given the arrays it
 * was planned again at every call (a custom plan sized to the batch looked cheaper).
 */
export const INSERT_CHANNEL_TICKETS = prepared(
  'intake_insert_channel_tickets',
  `
  WITH t AS (
    INSERT INTO tickets (id, customer_id, subject, description, category, product, severity, priority,
                         channel, requester_name, requester_email, external_id, channel_not_in_plan)
    SELECT i.id, i.customer_id, i.subject, i.description, NULL, NULL, NULL, 'P3', i.channel, i.requester_name,
           i.requester_email, i.external_id, ${channelNotInPlanSql('i.customer_id', 'i.channel')}
      FROM unnest((SELECT $1::uuid[]), (SELECT $2::uuid[]), (SELECT $3::text[]), (SELECT $4::text[]), (SELECT $5::text[]),
                  (SELECT $6::text[]), (SELECT $7::text[]), (SELECT $8::text[]))
             WITH ORDINALITY AS i(id, customer_id, subject, description, channel, requester_name, requester_email, external_id, ord)
     ORDER BY i.ord
    ON CONFLICT (customer_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
    RETURNING *
  ), created_event AS (
    ${createdEventSql('t', `'customer'`, 'customer_id')} RETURNING ticket_id
  ), channel_flag_event AS (
    ${eventPerRowSql('created_event JOIN t ON t.id = created_event.ticket_id', { ticketId: 't.id', type: `'channel_not_in_plan'`, actorKind: `'system'`, actorId: 'NULL', data: `jsonb_build_object('channel', t.channel)`, at: 't.created_at' }, 'WHERE t.channel_not_in_plan')}
  ), handoff AS (
    ${outboxRowPerRowSql('t', { queue: '$9', jobName: '$10', jobId: `'batch.' || min(id::text)`, payload: `jsonb_build_object('ticketIds', jsonb_agg(id ORDER BY number))` }, 'HAVING count(*) > 0')}
  )
  SELECT * FROM t`,
);

// ── Changes of the fields agents work (status, priority, assignee, …) ────────────────────────────

/** A change of the worked fields; tags record `tags_changed` (what was added and removed). */
export interface TicketChangePatch {
  status?: TicketRow['status'];
  priority?: TicketRow['priority'];
  assigneeId?: string | null;
  category?: NonNullable<TicketRow['category']>;
  product?: NonNullable<TicketRow['product']>;
  queue?: string | null;
  tags?: readonly string[];
  /** Set by a merge (which records its own `merged_into` event). */
  mergedInto?: string;
  /** The number of the customer's invoice this ticket disputes (billing checks it and grants grace); null clears it. */
  disputedInvoice?: string | null;
}

/** The fields a change records with an event: patch field, column, event type — in the order the events are written. */
const RECORDED_FIELDS = [
  ['status', 'status', 'status_changed'],
  ['priority', 'priority', 'priority_changed'],
  ['assigneeId', 'assignee_id', 'assigned'],
  ['category', 'category', 'category_changed'],
  ['product', 'product', 'product_changed'],
  ['queue', 'queue', 'queue_changed'],
  ['disputedInvoice', 'disputed_invoice', 'dispute_changed'],
] as const satisfies ReadonlyArray<readonly [keyof TicketChangePatch, keyof TicketRow, string]>;

/**
 * The SLA clock columns a change's hooks may add to its write (SlaClockService: pause, resume, stop,
 * recompute), in the same statement as the change.
 */
const SLA_CLOCK_COLUMNS = ['resolved_at', 'sla_paused_since', 'sla_paused_minutes', 'first_response_due_at', 'first_response_warn_at', 'resolution_due_at', 'resolution_warn_at'];

const TICKET_CHANGE_COLUMNS = new Set(['status', 'priority', 'assignee_id', 'category', 'product', 'queue', 'tags', 'merged_into', 'disputed_invoice', ...SLA_CLOCK_COLUMNS]);

export interface TicketEventSpec {
  type: string;
  data: Record<string, unknown>;
  /** The actor of this event when it is not the change's (the system, for the SLA clock's events). */
  actorKind?: string;
  actorId?: string | null;
}

/** The changed columns of a ticket and one event per changed field, in order. */
export function ticketDiff(
  // Readers of a few columns (triage) never change the dispute, so they need not read it.
  before: Pick<TicketRow, Exclude<(typeof RECORDED_FIELDS)[number][1], 'disputed_invoice' | 'tags'>> & Partial<Pick<TicketRow, 'disputed_invoice' | 'tags'>>,
  patch: TicketChangePatch,
): { columns: Record<string, unknown>; events: TicketEventSpec[] } {
  const columns: Record<string, unknown> = {};
  const events: TicketEventSpec[] = [];
  for (const [field, column, type] of RECORDED_FIELDS) {
    const to = patch[field];
    const from = before[column] ?? null;
    if (to === undefined || to === from) continue;
    columns[column] = to;
    events.push({ type, data: { from, to } });
  }
  if (patch.tags !== undefined) {
    const was = before.tags ?? [];
    const added = patch.tags.filter((t) => !was.includes(t));
    const removed = was.filter((t) => !patch.tags!.includes(t));
    if (added.length > 0 || removed.length > 0) {
      columns.tags = patch.tags;
      events.push({ type: 'tags_changed', data: { added, removed } });
    }
  }
  if (patch.mergedInto !== undefined) columns.merged_into = patch.mergedInto;
  return { columns, events };
}

function checkedSets(columns: readonly string[], firstParam: number): string {
  for (const c of columns) if (!TICKET_CHANGE_COLUMNS.has(c)) throw new Error(`not a ticket change column: ${c}`);
  return columns.map((c, i) => `${c} = $${i + firstParam}`).join(', ');
}

/**
 * A change of a locked ticket with its events, in one statement returning the row as changed.
 * Parameters: $1 ticket id, $2… the values of `columns`, then the instant, the actor kind, the
 * actor id and the events (jsonb `[{type, data}]`).
 */
export function changeTicketSql(columns: readonly string[]): string {
  const n = columns.length;
  return `WITH changed AS (
    UPDATE tickets SET ${checkedSets(columns, 2)}, updated_at = $${n + 2}
     WHERE id = $1 RETURNING *
  ), recorded AS (
    ${eventListSql({ at: n + 2, actorKind: n + 3, actorId: n + 4, events: n + 5 })}
  )
  SELECT * FROM changed`;
}

/**
 * A planned change inside a caller's single statement (its own transaction), for a caller that read
 * the ticket outside any transaction (TicketsService.planChange):
 *  - `changed`: the UPDATE of the row, only if its `xmin` is still the one read (a concurrent
 *    change makes it wait for that transaction, then skip the row) and `guard` (SQL) holds;
 *    RETURNING `id`, so that the caller's CTEs write only when the row was changed;
 *  - `recorded`: the change's events followed by the caller's, in the order of the array.
 * Parameters: $1 ticket id, $2 row version (`xmin::text` as read), $3 at, $4 actor kind,
 * $5 actor id, $6 the events (jsonb `[{type, data}]`), $7… the values of `columns`; the caller's
 * parameters start at `nextParam`. No `changed` row: the ticket (or the guard) changed since it
 * was read; read it again and decide again.
 */
export function ticketChangeSql(columns: readonly string[], guard?: string): { ctes: string; nextParam: number } {
  const sets = checkedSets(columns, 7);
  return {
    ctes: `changed AS (
    UPDATE tickets SET ${sets}${sets ? ', ' : ''}updated_at = $3
     WHERE id = $1 AND xmin = $2::text::xid${guard ? ` AND ${guard}` : ''}
    RETURNING id
  ), recorded AS (
    ${eventListSql({ at: 3, actorKind: 4, actorId: 5, events: 6 })}
  )`,
    nextParam: columns.length + 7,
  };
}

/**
 * The open tickets of a deactivated agent back to their queues, unassigned, each with its
 * `assigned` event (to nobody, reason `agent_deactivated`): one statement. $1 the agent, $2 at,
 * $3/$4 the actor. Returns the released tickets' ids.
 */
export const RELEASE_AGENT_TICKETS = `
  WITH released AS (
    UPDATE tickets SET assignee_id = NULL, updated_at = $2
     WHERE assignee_id = $1 AND status NOT IN ('resolved', 'closed')
    RETURNING id
  ), event AS (
    ${eventPerRowSql('released', { ticketId: 'id', type: `'assigned'`, actorKind: '$3', actorId: '$4::uuid', data: `jsonb_build_object('from', $1::uuid, 'to', NULL, 'reason', 'agent_deactivated')`, at: '$2' })}
  )
  SELECT id FROM released`;

// ── Comments ────────────────────────────────────────────────────────────────────────────────────

/** $1 ticket, $2 author kind, $3 author id, $4 body, $5 visibility. */
/** $6: the name the author gave outside the helpdesk's records (a customer's e-mail), else null. */
export const INSERT_COMMENT = `INSERT INTO ticket_comments (ticket_id, author_kind, author_id, body, visibility, author_name) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`;

/**
 * A comment with what it records, in one statement (one round trip, one parse and plan): the comment
 * (its search trigger appends it to the ticket's documents), its `commented` event and, when $7 (the
 * ticket's first public staff comment), the ticket's first-response mark and its `first_response`
 * event after it; all at the comment's `created_at`. Returns the comment's id and instant and, for a
 * staff author, the agent's name. $1–$6 as `INSERT_COMMENT`, $7 boolean. Prepared: planning it
 * (an insert, an update of `tickets` weighing every one of its indexes, an insert of events) cost
 * about as much PostgreSQL CPU as the search trigger's GIN work on a reply; its result columns are
 * named, so no migration adding a column can make a connection's plan of it stale.
 */
export const ADD_COMMENT = prepared(
  'comment_add',
  `
  WITH c AS (
    INSERT INTO ticket_comments (ticket_id, author_kind, author_id, body, visibility, author_name)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at
  ), first_response AS (
    UPDATE tickets t SET first_responded_at = c.created_at, updated_at = c.created_at FROM c WHERE t.id = $1 AND $7::boolean RETURNING t.id
  ), events AS (
    INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
    SELECT $1, e.type, $2, $3, e.data, c.created_at
      FROM c CROSS JOIN LATERAL (VALUES
        (1, 'commented', jsonb_build_object('commentId', c.id, 'visibility', $5::text)),
        (2, 'first_response', jsonb_build_object('commentId', c.id))) AS e(n, type, data)
     WHERE e.n = 1 OR $7::boolean
     ORDER BY e.n
  )
  SELECT c.id, c.created_at, (SELECT a.name FROM agents a WHERE $2 = 'staff' AND a.id = $3) AS author_name FROM c`,
);

// ── Triage: the decision, the SLA clock, assignment ─────────────────────────────────────────────

/** What `triage_write` (triage-write.sql) takes for one ticket. */
export interface TriageTicketWrite {
  id: string;
  row_version: string;
  status: string;
  category: string;
  product: string;
  priority: string;
  queue: string;
  tags: string[];
  at: Date;
  diagnosis: unknown;
  in_scope: boolean | null;
  priority_suggestion: unknown;
  first_response_due_at: Date;
  first_response_warn_at: Date;
  resolution_due_at: Date;
  resolution_warn_at: Date;
  sla_start: Date;
  events: Array<TicketEventSpec & { actorKind: string; actorId: string | null }>;
  assign: boolean;
}

export interface TriageWriteResult {
  ticket_id: string;
  written: boolean;
  assignee_id: string | null;
  assign_later: boolean;
}

/**
 * The writes of a batch of triage decisions, one call of `triage_write` (triage-write.sql): one
 * statement, one transaction. $1 the JSON array of TriageTicketWrite. Per ticket: written or not
 * (changed since it was read), the assignee, and whether to assign it after the commit with
 * ASSIGN_TICKET (every eligible agent was locked by someone else).
 */
export const TRIAGE_WRITE = prepared('triage_write_many', `SELECT ticket_id, written, assignee_id, assign_later FROM triage_write($1::jsonb)`);

/**
 * Assigns a triaged ticket nobody holds yet, if still open and in queue $2, to the agent auth's
 * `pick_agent` gives (waiting for one when all are busy), with its `assigned` event: one statement,
 * ticket locked first. $1 ticket, $2 queue, $3 at. No row: nobody was assigned.
 */
export const ASSIGN_TICKET = prepared(
  'triage_assign',
  `
  WITH tk AS (
    SELECT id FROM tickets
     WHERE id = $1 AND assignee_id IS NULL AND status NOT IN ('resolved', 'closed') AND queue = $2
       FOR UPDATE
  ),
  -- Called in the select list, so only for a ticket \`tk\` found (a FROM item could run first).
  picked AS (SELECT pick_agent($2, $3, true) AS p FROM tk),
  pick AS (SELECT (p).agent_id AS id FROM picked WHERE (p).agent_id IS NOT NULL),
  upd AS (
    UPDATE tickets t SET assignee_id = pick.id, updated_at = $3 FROM tk, pick WHERE t.id = tk.id
    RETURNING t.id, t.assignee_id
  ),
  event AS (
    ${eventPerRowSql('upd', { ticketId: 'upd.id', type: `'assigned'`, actorKind: `'system'`, actorId: 'NULL', data: `jsonb_build_object('from', NULL, 'to', upd.assignee_id)`, at: '$3' })}
  )
  SELECT upd.assignee_id FROM upd`,
);

/** One ticket's SLA clock moved onto its customer's new plan (REPLAN_SLA_CLOCKS). */
export interface ReplannedClock {
  id: string;
  clock_start_at: Date;
  used_minutes: number;
  first_response_due_at: Date;
  first_response_warn_at: Date;
  resolution_due_at: Date;
  resolution_warn_at: Date;
  /** The `sla_replanned` event's data. */
  data: Record<string, unknown>;
}

/**
 * The SLA clocks of tickets moved onto a new support plan, each with its `sla_replanned` event,
 * in one statement: the clock restarts at `clock_start_at` with `used_minutes` already spent, no
 * pause counted yet, the new due instants; a warning or breach mark whose new instant is still to
 * come is cleared, so the monitor marks it again when it comes. $1 the JSON array of
 * ReplannedClock, $2 at, $3/$4 the actor. The tickets are locked by the caller.
 */
export const REPLAN_SLA_CLOCKS = `
  WITH r AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, clock_start_at timestamptz, used_minutes double precision,
      first_response_due_at timestamptz, first_response_warn_at timestamptz, resolution_due_at timestamptz,
      resolution_warn_at timestamptz, data jsonb)
  ), moved AS (
    UPDATE tickets t SET sla_clock_start_at = r.clock_start_at, sla_used_minutes = r.used_minutes, sla_paused_minutes = 0,
           first_response_due_at = r.first_response_due_at, first_response_warn_at = r.first_response_warn_at,
           resolution_due_at = r.resolution_due_at, resolution_warn_at = r.resolution_warn_at,
           sla_first_response_warned = t.sla_first_response_warned AND r.first_response_warn_at <= $2,
           sla_first_response_breached = t.sla_first_response_breached AND r.first_response_due_at <= $2,
           sla_resolution_warned = t.sla_resolution_warned AND r.resolution_warn_at <= $2,
           sla_resolution_breached = t.sla_resolution_breached AND r.resolution_due_at <= $2,
           updated_at = $2
      FROM r WHERE t.id = r.id
    RETURNING t.id, r.data
  ), event AS (
    ${eventPerRowSql('moved', { ticketId: 'id', type: `'sla_replanned'`, actorKind: '$3', actorId: '$4::uuid', data: 'data', at: '$2' })}
  )
  SELECT count(*)::int AS n FROM moved`;

/** The flags the SLA monitor sets once per target. */
const SLA_FLAGS = new Set(['sla_first_response_warned', 'sla_first_response_breached', 'sla_resolution_warned', 'sla_resolution_breached']);

/**
 * The SLA monitor's mark, after the caller's CTE `due` (the ticket ids, locked): sets `flags` on
 * those tickets and records one system event each (`type`, `data` SQL over the flagged row's
 * `due_at`, the value of column `dueAt`), at `at`; `returning` is the RETURNING list of the events.
 */
export function markSlaSql(m: { flags: readonly string[]; dueAt: string; type: string; data: string; at: string; returning: string }): string {
  for (const f of m.flags) if (!SLA_FLAGS.has(f)) throw new Error(`not an SLA flag: ${f}`);
  return `flagged AS (
         UPDATE tickets SET ${m.flags.map((f) => `${f} = true`).join(', ')} FROM due WHERE tickets.id = due.id
         RETURNING tickets.id, tickets.${m.dueAt} AS due_at
       )
       ${eventPerRowSql('flagged', { ticketId: 'id', type: m.type, actorKind: `'system'`, actorId: 'NULL', data: m.data, at: m.at }, `RETURNING ${m.returning}`)}`;
}
