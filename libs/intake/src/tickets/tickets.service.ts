import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actorOf, AgentsService, Principal, workedCategories } from '@helpdesk/auth';
import { prepared, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import type { Priority } from '../support-plans/support-plan.entity';
import type { TicketCategory, TicketProduct, TicketStatus } from './ticket-fields';
import { PublicTimelineEntry } from '../timeline/public-timeline';
import { TimelineEntry, TimelineService } from '../timeline/timeline.service';
import { TicketFinder, TicketListRequest } from './ticket-finder.service';
import { TicketAudience, TicketHooks } from './ticket-hooks';
import { statementName, TicketFilter, TicketScope } from './ticket-list-query';
import { CustomerTicketListItemView, CustomerTicketView, TicketPresenter } from './ticket-presenter';
import { assertTransition } from './ticket-status';
import { changedTags, TagChange } from './ticket-tags';
import { TicketListItemView, TicketRow, TicketView, ticketViewFromRow } from './ticket.view';
import { changeTicketSql, TicketChangePatch, ticketDiff, TicketEventSpec } from './ticket-writes';

export interface TicketPatch extends TagChange {
  status?: TicketStatus;
  priority?: Priority;
  assigneeId?: string | null;
  category?: TicketCategory;
  product?: TicketProduct;
  queue?: string;
  disputedInvoice?: string | null;
}

export interface TicketPage {
  items: Array<TicketListItemView | CustomerTicketListItemView>;
  nextCursor: string | null;
}

/** Reading and changing tickets (creation is TicketIntakeService). */
const TICKET_BY_ID = prepared('tickets_by_id', `SELECT * FROM tickets WHERE id = $1`);
const LOCK_TICKET = prepared('tickets_lock', `SELECT * FROM tickets WHERE id = $1 FOR UPDATE`);

@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hooks: TicketHooks,
    private readonly finder: TicketFinder,
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
    return this.eventsOf(principal, await this.row(principal, id));
  }

  /** As `events`, for a row the caller may see (`row`). */
  eventsOf(principal: Principal, row: TicketRow): Promise<TimelineEntry[] | PublicTimelineEntry[]> {
    return this.presenter.reach(principal, row) === 'work' ? this.timeline.list(row.id) : this.timeline.publicList(row.id);
  }

  /** As `get`, for a row the caller may see (`row`). */
  presentRow(principal: Principal, row: TicketRow): Promise<TicketView | CustomerTicketView> {
    return this.presenter.presentOne(principal, row);
  }

  async row(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<TicketRow> {
    const [row] = await queryPrepared<TicketRow>(manager, TICKET_BY_ID, [id]);
    return this.visible(principal, id, row);
  }

  /** The ticket a channel's message names, by id or by number (HD-000123 is 123), if there is one. */
  async findNamed(manager: EntityManager, named: { ticketId: string } | { ticketNumber: number }): Promise<TicketRow | undefined> {
    const [row]: TicketRow[] =
      'ticketId' in named
        ? await manager.query(`SELECT * FROM tickets WHERE id = $1`, [named.ticketId])
        : await manager.query(`SELECT * FROM tickets WHERE number = $1`, [named.ticketNumber]);
    return row;
  }

  /** The row if the principal may see it; another customer's ticket does not exist for a customer token. */
  visible(principal: Principal, id: string, row: TicketRow | undefined): TicketRow {
    if (!row || (principal.kind === 'customer' && row.customer_id !== principal.customerId)) {
      throw DomainError.notFound('Ticket', id);
    }
    return row;
  }

  /** A page of the tickets the principal may see, in the request's sort (TicketFinder). */
  async list(principal: Principal, request: TicketListRequest): Promise<TicketPage> {
    const { rows, nextCursor } = await this.finder.page(this.scope(principal, request), request);
    return { items: await this.presenter.presentItems(principal, rows), nextCursor };
  }

  /** How many tickets the principal may see match the filter, counting up to `cap`. */
  count(principal: Principal, filter: TicketFilter, cap: number): Promise<number> {
    return this.finder.count(this.scope(principal, filter), filter, cap);
  }

  /** A customer token sees only its own tickets: another customer id is a 403, not an empty list. */
  private scope(principal: Principal, filter: TicketFilter): TicketScope {
    if (principal.kind === 'staff') return { audience: 'staff', agentId: principal.agentId, worksCategories: workedCategories(principal.roles) };
    if (filter.customerId && filter.customerId !== principal.customerId) {
      throw new DomainError(DomainErrorCode.Forbidden, 'A customer token sees only its own tickets', {
        errors: [{ field: 'customerId', message: 'must be your own customer id (or left out)' }],
      });
    }
    return { audience: 'customer', customerId: principal.customerId };
  }

  /**
   * One transaction: the row, one event per changed field, and the hooks (SLA clock, …). Only staff
   * who work the ticket change it; an assignee must be an active agent who works such tickets.
   */
  async update(principal: Principal, id: string, patch: TicketPatch): Promise<TicketView> {
    return this.dataSource.transaction(async (manager) => this.view(await this.change(manager, principal, id, patch)));
  }

  /**
   * The rules of a staff change of a ticket (reach, state machine, assignee, tags), applied inside
   * the caller's transaction: PATCH, each ticket of a bulk change and a macro's actions all come here.
   * `prepare`: the lock and the write prepared on the connection (as `lockedRow`); a caller that sets
   * it runs its transaction again without it on `isStalePlanError`.
   */
  async change(manager: EntityManager, principal: Principal, id: string, patch: TicketPatch, prepare = false): Promise<TicketRow> {
    const before = this.visible(principal, id, await this.lockedRow(manager, id, prepare));
    this.assertWorks(principal, before);
    if (patch.status !== undefined && patch.status !== before.status) assertTransition(before.status, patch.status);
    const { addTags, removeTags, ...fields } = patch;
    const tags = addTags || removeTags ? changedTags(before.tags, { addTags, removeTags }) : undefined;
    const write = await this.plan(manager, before, { ...fields, ...(tags && tags !== before.tags ? { tags } : {}) }, actorOf(principal), new Date());
    if (!write) return before;
    // The assignee is checked (and locked) last, just before the write: the agent's row stays locked
    // until the commit (its open-ticket counter), so changes assigning many tickets to one agent
    // queue on it for this write and the commit only, not for the hooks' work too.
    if (patch.assigneeId && patch.assigneeId !== before.assignee_id) {
      await this.agents.assertAssignable(manager, patch.assigneeId, patch.category ?? before.category);
    }
    return this.write(manager, write, prepare);
  }

  /** Only staff who work a ticket change it (403 for those who only read it). */
  assertWorks(principal: Principal, row: TicketRow): void {
    if (this.presenter.reach(principal, row) !== 'work') {
      throw new DomainError(DomainErrorCode.Forbidden, `You may read ticket ${row.id} but not change it`);
    }
  }

  /**
   * The ticket, locked for the caller's transaction. `prepare`: planned once per connection (the
   * planner weighs every index of `tickets` each time otherwise); a caller that sets it runs its
   * transaction again without it on `isStalePlanError` (a migration changed `tickets` meanwhile).
   */
  async lockedRow(manager: EntityManager, id: string, prepare = false): Promise<TicketRow> {
    const [row] = await queryPrepared<TicketRow>(manager, LOCK_TICKET, [id], { nameInTransaction: prepare });
    if (!row) throw DomainError.notFound('Ticket', id);
    return row;
  }

  /**
   * Writes the changed fields of a locked ticket with their events and runs the hooks. For use
   * inside a transaction by this context and by the contexts built on it (triage, escalation).
   * `prepare`: the write prepared on the connection (as `change`).
   */
  async apply(manager: EntityManager, before: TicketRow, patch: TicketChangePatch, actor: Actor, at = new Date(), prepare = false): Promise<TicketRow> {
    const write = await this.plan(manager, before, patch, actor, at);
    return write ? this.write(manager, write, prepare) : before;
  }

  /** The write of a change of a locked ticket, with what the hooks add to it; null when nothing changes. */
  private async plan(manager: EntityManager, before: TicketRow, patch: TicketChangePatch, actor: Actor, at: Date): Promise<TicketWrite | null> {
    const { columns, events } = ticketDiff(before, patch);
    if (Object.keys(columns).length === 0) return null;
    const planned = { ...before, ...columns, updated_at: at } as TicketRow;
    const added = await this.hooks.beforeWrite(manager, { before, after: planned, actor, at });
    return { before, actor, at, columns: { ...columns, ...added.columns }, events: [...events, ...added.events] };
  }

  /**
   * One statement: the row, the change's events and the hooks' (RETURNING the row as written), then
   * the hooks' afterChange. `prepare`: the statement prepared on the connection under a name of its
   * text (one per set of changed columns): planning it weighs every index of `tickets`.
   */
  private async write(manager: EntityManager, { before, actor, at, columns, events }: TicketWrite, prepare = false): Promise<TicketRow> {
    const names = Object.keys(columns);
    const sql = changeTicketSql(names);
    const values = [before.id, ...names.map((c) => columns[c]), at, actor.kind, actor.id, JSON.stringify(events)];
    const [after] = prepare
      ? await queryPrepared<TicketRow>(manager, prepared(statementName('ticket_change', sql), sql), values, { nameInTransaction: true })
      : ((await manager.query(sql, values)) as TicketRow[]);
    const hooksWrote = await this.hooks.afterChange(manager, { before, after, actor, at });
    if (!hooksWrote) return after;
    // A hook wrote more columns after the change: return the row as it now stands.
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

/** A change of a locked ticket as it will be written (TicketsService.plan). */
interface TicketWrite {
  before: TicketRow;
  actor: Actor;
  at: Date;
  columns: Record<string, unknown>;
  events: TicketEventSpec[];
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
