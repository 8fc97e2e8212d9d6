import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgentsService, Principal, ticketReach, TicketReach } from '@helpdesk/auth';
import { TicketAudience, TicketHooks } from './ticket-hooks';
import { PUBLIC_STATUS, PublicTicketStatus } from './ticket-status';
import {
  AnyTicketView,
  TicketColumns,
  TicketFieldsView,
  TicketListItemFieldsView,
  TicketListItemView,
  ticketListItemFromRow,
  TicketListRow,
  TicketRow,
  TicketView,
  ticketViewFromRow,
} from './ticket.view';

/** A view as its customer sees it: no staff ids, no internal queue, no staff flags, the public status, the agent's name. */
type CustomerOf<Fields> = Omit<Fields, 'assigneeId' | 'queue' | 'status' | 'channelNotInPlan'> & {
  status: PublicTicketStatus;
  assignee: { name: string | null } | null;
  [extension: string]: unknown;
};

/** A ticket as its customer sees it. */
export type CustomerTicketView = CustomerOf<TicketFieldsView>;

/** A ticket in a list as its customer sees it. */
export type CustomerTicketListItemView = CustomerOf<TicketListItemFieldsView>;

/** The ticket facts reach depends on (auth's TicketScope). */
export const ticketScope = (row: Pick<TicketRow, 'customer_id' | 'category'>) => ({ customerId: row.customer_id, category: row.category });

const AUDIENCE: Record<Exclude<TicketReach, 'none'>, TicketAudience> = { work: 'staff', read: 'reader', customer: 'customer' };

/** Ticket views for whoever asks: what their reach into each ticket lets them see. */
@Injectable()
export class TicketPresenter {
  constructor(
    private readonly hooks: TicketHooks,
    private readonly agents: AgentsService,
  ) {}

  /** The caller's reach into a ticket they may see (TicketsService.visible has said so). */
  reach(principal: Principal, row: Pick<TicketRow, 'customer_id' | 'category'>): TicketReach {
    return ticketReach(principal, ticketScope(row));
  }

  audience(principal: Principal, row: Pick<TicketRow, 'customer_id' | 'category'>): TicketAudience {
    const reach = this.reach(principal, row);
    return reach === 'none' ? 'customer' : AUDIENCE[reach];
  }

  /**
   * `queried: false` leaves out the fields that cost a query per page (TicketHook.extendViews, e.g.
   * billing status): the answer to filing a ticket, the intake hot path; reads carry them.
   */
  async present(principal: Principal, rows: readonly TicketRow[], manager?: EntityManager, queried = true): Promise<Array<TicketView | CustomerTicketView>> {
    return this.presentAs(principal, rows, ticketViewFromRow, manager, queried) as Promise<Array<TicketView | CustomerTicketView>>;
  }

  /** A list's items: as `present`, with an excerpt of each description instead of all of it (TicketFinder's rows). */
  async presentItems(principal: Principal, rows: readonly TicketListRow[]): Promise<Array<TicketListItemView | CustomerTicketListItemView>> {
    return this.presentAs(principal, rows, ticketListItemFromRow) as Promise<Array<TicketListItemView | CustomerTicketListItemView>>;
  }

  private async presentAs<Row extends TicketColumns, View extends AnyTicketView>(
    principal: Principal,
    rows: readonly Row[],
    viewOf: (row: Row) => View,
    manager?: EntityManager,
    queried = true,
  ): Promise<Array<View | CustomerOf<View>>> {
    const items = rows.map((row) => ({ row, view: viewOf(row), audience: this.audience(principal, row) }));
    await this.hooks.extendPage(items, queried);
    const views = items.map((item) => item.view);
    if (principal.kind !== 'customer') return views;
    const names = await this.agents.displayNames(rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : [])), manager);
    return views.map((view) => customerTicketView(view, view.assigneeId ? (names.get(view.assigneeId) ?? null) : null));
  }

  async presentOne(principal: Principal, row: TicketRow, manager?: EntityManager, queried = true): Promise<TicketView | CustomerTicketView> {
    const [view] = await this.present(principal, [row], manager, queried);
    return view;
  }
}

export function customerTicketView<View extends AnyTicketView>(view: View, assigneeName: string | null): CustomerOf<View> {
  const { assigneeId, queue: _queue, status, channelNotInPlan: _channelFlag, ...rest } = view;
  return { ...rest, status: PUBLIC_STATUS[status], assignee: assigneeId ? { name: assigneeName } : null } as CustomerOf<View>;
}
