import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import { AnyTicketView, TicketColumns, TicketRow, VIEW_COLUMNS } from './ticket.view';
import type { TicketEventSpec } from './ticket-writes';

/**
 * Who a ticket view is for: `staff` who work the ticket see everything; `reader`s (staff who only
 * read it: sales_agent, billing_admin outside billing) and customers do not see internal triage
 * work (diagnosis, suggestions). See auth's TicketReach.
 */
export type TicketAudience = 'staff' | 'reader' | 'customer';

export interface TicketChange {
  before: TicketRow;
  after: TicketRow;
  actor: Actor;
  at: Date;
}

/** What a hook adds to a ticket change's write: more columns of the row, more events after the change's. */
export interface TicketWriteAddition {
  columns: Record<string, unknown>;
  events: TicketEventSpec[];
}

/**
 * How contexts downstream of intake (triage's SLA clock, …) take part in a ticket change without
 * intake depending on them: they register here and run inside the change's transaction.
 */
export interface TicketHook {
  /**
   * Before the row is written, with `after` the row as the change will leave it: columns and events
   * to write in the change's own statement (one row version and one round trip, not a second
   * UPDATE of the ticket and a re-read). Throwing rolls the whole change back.
   */
  beforeWrite?(manager: EntityManager, change: TicketChange): Promise<TicketWriteAddition | null>;
  /**
   * After the row changed, before commit. Throwing rolls the whole change back. Answers true when
   * it wrote to the ticket row itself (so the caller re-reads the row).
   */
  afterChange?(manager: EntityManager, change: TicketChange): Promise<boolean>;
  /**
   * Whether `beforeWrite` or `afterChange` has work to do for this change (pure, no I/O; `after` may
   * be the row as it will be, not yet written). A hook with either and without this is taken to have
   * work for every change, so such changes are always made in a transaction that runs the hooks.
   */
  affects?(change: TicketChange): boolean;
  /**
   * Adds the context's fields to a ticket view (e.g. `sla`, `diagnosis`), those for `audience`:
   * a ticket's own view or a list item, both from the row's TicketColumns and `viewColumns`.
   */
  extendView?(row: TicketColumns, view: AnyTicketView, audience: TicketAudience): void;
  /**
   * The columns of `tickets` extendView reads besides TicketColumns: a list selects only those
   * (ticket-list-query.ts, listSelectSql), not the whole row.
   */
  viewColumns?: readonly string[];
  /**
   * Adds fields that need a query (e.g. billing's status of each customer) to the views of a page
   * of tickets at once, after extendView: one query per page, not per ticket. Reads only: the
   * answer to a ticket being filed leaves them out (the intake hot path pays no extra query).
   */
  extendViews?(items: readonly PresentedTicket[]): Promise<void>;
}

/** One ticket being presented: its row, its view (to add fields to) and who it is for. */
export interface PresentedTicket {
  row: TicketColumns;
  view: AnyTicketView;
  audience: TicketAudience;
}

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

@Injectable()
export class TicketHooks {
  private readonly hooks: TicketHook[] = [];
  private columns: readonly string[] | null = null;

  register(hook: TicketHook): void {
    for (const column of hook.viewColumns ?? []) if (!COLUMN_NAME.test(column)) throw new Error(`viewColumns: not a column name: ${column}`);
    this.hooks.push(hook);
    this.columns = null;
  }

  /** The columns of `tickets` a view reads: intake's own (VIEW_COLUMNS) and every hook's viewColumns. */
  viewColumns(): readonly string[] {
    this.columns ??= [...new Set([...VIEW_COLUMNS, ...this.hooks.flatMap((hook) => hook.viewColumns ?? [])])];
    return this.columns;
  }

  /** Every hook's additions to the write of a change, in registration order. */
  async beforeWrite(manager: EntityManager, change: TicketChange): Promise<TicketWriteAddition> {
    const added: TicketWriteAddition = { columns: {}, events: [] };
    for (const hook of this.hooks) {
      const more = await hook.beforeWrite?.(manager, change);
      if (!more) continue;
      Object.assign(added.columns, more.columns);
      added.events.push(...more.events);
    }
    return added;
  }

  /** Runs every hook; true when any of them wrote to the ticket row. */
  async afterChange(manager: EntityManager, change: TicketChange): Promise<boolean> {
    let wrote = false;
    for (const hook of this.hooks) if (await hook.afterChange?.(manager, change)) wrote = true;
    return wrote;
  }

  /** Whether any hook has work to do for this change (see TicketHook.affects). */
  affect(change: TicketChange): boolean {
    return this.hooks.some((hook) => (hook.afterChange !== undefined || hook.beforeWrite !== undefined) && (hook.affects ? hook.affects(change) : true));
  }

  extendView<V extends AnyTicketView>(row: TicketColumns, view: V, audience: TicketAudience = 'staff'): V {
    for (const hook of this.hooks) hook.extendView?.(row, view, audience);
    return view;
  }

  /** Every hook's extendView, then (unless `queried` is false) their extendViews over the whole page. */
  async extendPage(items: readonly PresentedTicket[], queried = true): Promise<void> {
    for (const item of items) this.extendView(item.row, item.view, item.audience);
    if (!queried) return;
    for (const hook of this.hooks) if (hook.extendViews && items.length > 0) await hook.extendViews(items);
  }
}
