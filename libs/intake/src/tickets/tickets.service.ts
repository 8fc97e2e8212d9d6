import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actorOf, Principal } from '@helpdesk/auth';
import { decodeKeysetCursor, encodeKeysetCursor, prepared, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import type { Priority } from '../support-plans/support-plan.entity';
import { TimelineService } from '../timeline/timeline.service';
import type { TicketCategory, TicketProduct, TicketStatus } from './ticket.entity';
import { TicketAudience, TicketHooks } from './ticket-hooks';
import { assertTransition } from './ticket-status';
import { TicketRow, TicketView, ticketViewFromRow } from './ticket.view';

export interface TicketFilter {
  status?: TicketStatus;
  customerId?: string;
  queue?: string;
  priority?: Priority;
  assigneeId?: string;
  category?: TicketCategory;
  limit?: number;
  cursor?: string;
}

export interface TicketPatch {
  status?: TicketStatus;
  priority?: Priority;
  assigneeId?: string | null;
  category?: TicketCategory;
  product?: TicketProduct;
}

export interface TicketPage {
  items: TicketView[];
  nextCursor: string | null;
}

/** Reading and changing tickets (creation is TicketIntakeService). */
const TICKET_BY_ID = prepared('tickets_by_id', `SELECT * FROM tickets WHERE id = $1`);

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly timeline: TimelineService,
    private readonly hooks: TicketHooks,
  ) {}

  view(row: TicketRow, audience: TicketAudience = 'staff'): TicketView {
    return this.hooks.extendView(row, ticketViewFromRow(row), audience);
  }

  /** A ticket the principal may see; another customer's ticket does not exist for a customer token. */
  async get(principal: Principal, id: string): Promise<TicketView> {
    return this.view(await this.row(principal, id), principal.kind);
  }

  async row(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<TicketRow> {
    const [row] = await queryPrepared<TicketRow>(manager, TICKET_BY_ID, [id]);
    return this.visible(principal, id, row);
  }

  /** The row if the principal may see it; another customer's ticket does not exist for a customer token. */
  visible(principal: Principal, id: string, row: TicketRow | undefined): TicketRow {
    if (!row || (principal.kind === 'customer' && row.customer_id !== principal.customerId)) {
      throw DomainError.notFound('Ticket', id);
    }
    return row;
  }

  /** Newest first, keyset pagination on the ticket number (no OFFSET). */
  async list(principal: Principal, filter: TicketFilter): Promise<TicketPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (principal.kind === 'customer') {
      if (filter.customerId && filter.customerId !== principal.customerId) {
        throw new DomainError(DomainErrorCode.Forbidden, 'A customer token sees only its own tickets', {
          errors: [{ field: 'customerId', message: 'must be your own customer id (or left out)' }],
        });
      }
      add('customer_id = ?', principal.customerId);
    } else if (filter.customerId) add('customer_id = ?', filter.customerId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.queue) add('queue = ?', filter.queue);
    if (filter.priority) add('priority = ?', filter.priority);
    if (filter.assigneeId) add('assignee_id = ?', filter.assigneeId);
    if (filter.category) add('category = ?', filter.category);
    if (filter.cursor) add('number < ?', decodeKeysetCursor(filter.cursor));
    const limit = filter.limit ?? 50;
    params.push(limit + 1);
    // One prepared statement per filter combination (at most 2^7): planning this query against the
    // table's many indexes cost PostgreSQL more than running it.
    const shape = where.map((w) => w.slice(0, 3)).join('_'); // cus_sta_que_pri_ass_cat_num at most
    const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number DESC LIMIT $${params.length}`;
    const rows = await queryPrepared<TicketRow>(this.dataSource.manager, prepared(`tickets_list_${shape}`, sql), params);
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => this.view(r, principal.kind)),
      nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].number) : null,
    };
  }

  /** One transaction: the row, one event per changed field, and the hooks (SLA clock, …). */
  async update(principal: Principal, id: string, patch: TicketPatch): Promise<TicketView> {
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lockedRow(manager, id);
      if (patch.status !== undefined && patch.status !== before.status) assertTransition(before.status, patch.status);
      if (patch.assigneeId && patch.assigneeId !== before.assignee_id) {
        const [agent] = await manager.query(`SELECT 1 FROM agents WHERE id = $1`, [patch.assigneeId]);
        if (!agent) throw DomainError.invalid('assigneeId', `no agent has the id ${patch.assigneeId}`);
      }
      return this.view(await this.apply(manager, before, patch, actor));
    });
  }

  async lockedRow(manager: EntityManager, id: string): Promise<TicketRow> {
    const [row]: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw DomainError.notFound('Ticket', id);
    return row;
  }

  /**
   * Writes the changed fields of a locked ticket with their events and runs the hooks. For use
   * inside a transaction by this context and by the contexts built on it (triage, escalation).
   */
  async apply(manager: EntityManager, before: TicketRow, patch: TicketChangePatch, actor: Actor, at = new Date()): Promise<TicketRow> {
    const { columns, events } = diff(before, patch);
    if (Object.keys(columns).length === 0) return before;

    const names = Object.keys(columns);
    const values = [before.id, ...names.map((c) => columns[c]), at, actor.kind, actor.id, JSON.stringify(events.map(([type, data]) => ({ type, data })))];
    const n = names.length;
    // The row and its events in one statement; the events keep the order they were listed in.
    const [after]: TicketRow[] = await manager.query(
      `WITH changed AS (
         UPDATE tickets SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = $${n + 2}
          WHERE id = $1 RETURNING *
       ), recorded AS (
         INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
         SELECT changed.id, e.value->>'type', $${n + 3}::text, $${n + 4}::uuid, e.value->'data', $${n + 2}::timestamptz
           FROM changed, jsonb_array_elements($${n + 5}::jsonb) WITH ORDINALITY AS e(value, ord)
          ORDER BY e.ord
       )
       SELECT * FROM changed`,
      values,
    );
    const hooksWrote = await this.hooks.afterChange(manager, { before, after, actor, at });
    if (!hooksWrote) return after;
    // A hook (the SLA clock) wrote more columns: return the row as it now stands.
    const [current]: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = $1`, [before.id]);
    return current;
  }

  /**
   * The same change as `apply`, planned for a caller that read `before` outside any transaction and
   * writes it in one statement of its own (with `ticketChangeSql`), applied only if the row is still
   * as read. Null when a hook has work to do for this change (the SLA clock pausing or resuming,
   * …): the caller then makes the change in a transaction with `apply`, which runs the hooks.
   */
  planChange(before: TicketRow, patch: TicketChangePatch, actor: Actor, at = new Date()): PlannedTicketChange | null {
    const { columns, events } = diff(before, patch);
    const after = { ...before, ...columns, updated_at: at } as TicketRow;
    if (this.hooks.affect({ before, after, actor, at })) return null;
    const names = Object.keys(columns);
    return {
      before,
      after,
      columns: names,
      values: names.map((c) => columns[c]),
      events: events.map(([type, data]) => ({ type, data })),
    };
  }
}

export type TicketChangePatch = TicketPatch & { queue?: string | null; tags?: string[] };

/** A ticket change `planChange` found no hook has work for: what `ticketChangeSql` writes. */
export interface PlannedTicketChange {
  before: TicketRow;
  /** The row as it will be. */
  after: TicketRow;
  /** The changed columns, in the order of `values`. */
  columns: string[];
  values: unknown[];
  /** The change's events, in order (status_changed, …). */
  events: Array<{ type: string; data: Record<string, unknown> }>;
}

/** The fields a change records with an event: patch field, column, event type — in the order `apply` has always written them. */
const RECORDED_FIELDS = [
  ['status', 'status', 'status_changed'],
  ['priority', 'priority', 'priority_changed'],
  ['assigneeId', 'assignee_id', 'assigned'],
  ['category', 'category', 'category_changed'],
  ['product', 'product', 'product_changed'],
  ['queue', 'queue', 'queue_changed'],
] as const satisfies ReadonlyArray<readonly [keyof TicketChangePatch, keyof TicketRow, string]>;

/** The changed columns of a ticket and one event per changed field (tags change without an event). */
function diff(before: TicketRow, patch: TicketChangePatch): { columns: Record<string, unknown>; events: Array<[string, Record<string, unknown>]> } {
  const columns: Record<string, unknown> = {};
  const events: Array<[string, Record<string, unknown>]> = [];
  for (const [field, column, event] of RECORDED_FIELDS) {
    const to = patch[field];
    if (to === undefined || to === before[column]) continue;
    columns[column] = to;
    events.push([event, { from: before[column], to }]);
  }
  if (patch.tags !== undefined) columns.tags = patch.tags;
  return { columns, events };
}

const TICKET_CHANGE_COLUMNS = new Set(['status', 'priority', 'assignee_id', 'category', 'product', 'queue', 'tags']);

/**
 * SQL for a planned ticket change inside a caller's single statement (its own transaction):
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
  for (const c of columns) if (!TICKET_CHANGE_COLUMNS.has(c)) throw new Error(`not a ticket change column: ${c}`);
  const sets = columns.map((c, i) => `${c} = $${i + 7}`).join(', ');
  return {
    ctes: `changed AS (
    UPDATE tickets SET ${sets}${sets ? ', ' : ''}updated_at = $3
     WHERE id = $1 AND xmin = $2::text::xid${guard ? ` AND ${guard}` : ''}
    RETURNING id
  ), recorded AS (
    INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
    SELECT changed.id, e.value->>'type', $4::text, $5::uuid, e.value->'data', $3::timestamptz
      FROM changed, jsonb_array_elements($6::jsonb) WITH ORDINALITY AS e(value, ord)
     ORDER BY e.ord
  )`,
    nextParam: columns.length + 7,
  };
}
