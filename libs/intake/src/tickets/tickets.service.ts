import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actorOf, AgentsService, Principal } from '@helpdesk/auth';
import { decodeKeysetCursor, encodeKeysetCursor, prepared, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import type { Priority } from '../support-plans/support-plan.entity';
import type { TicketCategory, TicketProduct, TicketStatus } from './ticket-fields';
import { PublicTimelineEntry } from '../timeline/public-timeline';
import { TimelineEntry, TimelineService } from '../timeline/timeline.service';
import { TicketAudience, TicketHooks } from './ticket-hooks';
import { CustomerTicketView, TicketPresenter } from './ticket-presenter';
import { assertTransition } from './ticket-status';
import { TicketRow, TicketView, ticketViewFromRow } from './ticket.view';
import { changeTicketSql, TicketChangePatch, ticketDiff, TicketEventSpec } from './ticket-writes';

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
  items: Array<TicketView | CustomerTicketView>;
  nextCursor: string | null;
}

/** Reading and changing tickets (creation is TicketIntakeService). */
const TICKET_BY_ID = prepared('tickets_by_id', `SELECT * FROM tickets WHERE id = $1`);

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hooks: TicketHooks,
    private readonly presenter: TicketPresenter,
    private readonly agents: AgentsService,
    private readonly timeline: TimelineService,
  ) {}

  /** The view of a ticket for staff who work it (other callers: `get`, which knows who asks). */
  view(row: TicketRow, audience: TicketAudience = 'staff'): TicketView {
    return this.hooks.extendView(row, ticketViewFromRow(row), audience);
  }

  /** A ticket the principal may see, as they may see it; another customer's ticket does not exist for a customer token. */
  async get(principal: Principal, id: string): Promise<TicketView | CustomerTicketView> {
    return this.presenter.presentOne(principal, await this.row(principal, id));
  }

  /**
   * The ticket's timeline, oldest first: all of it for staff who work the ticket; its public part
   * (created, status changes, public comments; names, never staff ids) for everyone else.
   */
  async events(principal: Principal, id: string): Promise<TimelineEntry[] | PublicTimelineEntry[]> {
    const row = await this.row(principal, id);
    return this.presenter.reach(principal, row) === 'work' ? this.timeline.list(id) : this.timeline.publicList(id);
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
      items: await this.presenter.present(principal, page),
      nextCursor: rows.length > limit ? encodeKeysetCursor(page[page.length - 1].number) : null,
    };
  }

  /**
   * One transaction: the row, one event per changed field, and the hooks (SLA clock, …). Only staff
   * who work the ticket change it; an assignee must be an active agent who works such tickets.
   */
  async update(principal: Principal, id: string, patch: TicketPatch): Promise<TicketView> {
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const before = this.visible(principal, id, await this.lockedRow(manager, id));
      if (this.presenter.reach(principal, before) !== 'work') {
        throw new DomainError(DomainErrorCode.Forbidden, `You may read ticket ${id} but not change it`);
      }
      if (patch.status !== undefined && patch.status !== before.status) assertTransition(before.status, patch.status);
      if (patch.assigneeId && patch.assigneeId !== before.assignee_id) {
        await this.agents.assertAssignable(manager, patch.assigneeId, patch.category ?? before.category);
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
    const { columns, events } = ticketDiff(before, patch);
    const names = Object.keys(columns);
    if (names.length === 0) return before;
    const [after]: TicketRow[] = await manager.query(changeTicketSql(names), [
      before.id,
      ...names.map((c) => columns[c]),
      at,
      actor.kind,
      actor.id,
      JSON.stringify(events),
    ]);
    const hooksWrote = await this.hooks.afterChange(manager, { before, after, actor, at });
    if (!hooksWrote) return after;
    // A hook (the SLA clock) wrote more columns: return the row as it now stands.
    const [current]: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = $1`, [before.id]);
    return current;
  }

  /**
   * The same change as `apply`, planned for a caller that read `before` outside any transaction and
   * writes it in one statement of its own (with ticket-writes' `ticketChangeSql`), applied only if the row is still
   * as read. Null when a hook has work to do for this change (the SLA clock pausing or resuming,
   * …): the caller then makes the change in a transaction with `apply`, which runs the hooks.
   */
  planChange(before: TicketRow, patch: TicketChangePatch, actor: Actor, at = new Date()): PlannedTicketChange | null {
    const { columns, events } = ticketDiff(before, patch);
    const after = { ...before, ...columns, updated_at: at } as TicketRow;
    if (this.hooks.affect({ before, after, actor, at })) return null;
    const names = Object.keys(columns);
    return {
      before,
      after,
      columns: names,
      values: names.map((c) => columns[c]),
      events,
    };
  }
}

/** A ticket change `planChange` found no hook has work for: what `ticketChangeSql` writes. */
export interface PlannedTicketChange {
  before: TicketRow;
  /** The row as it will be. */
  after: TicketRow;
  /** The changed columns, in the order of `values`. */
  columns: string[];
  values: unknown[];
  /** The change's events, in order (status_changed, …). */
  events: TicketEventSpec[];
}
