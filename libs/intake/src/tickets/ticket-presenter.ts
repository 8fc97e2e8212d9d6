import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgentsService, Principal, ticketReach, TicketReach } from '@helpdesk/auth';
import { TicketAudience, TicketHooks } from './ticket-hooks';
import { PUBLIC_STATUS, PublicTicketStatus } from './ticket-status';
import { TicketFieldsView, TicketRow, TicketView, ticketViewFromRow } from './ticket.view';

/** A ticket as its customer sees it: no staff ids, no internal queue, no staff flags, the public status, the agent's name. */
export type CustomerTicketView = Omit<TicketFieldsView, 'assigneeId' | 'queue' | 'status' | 'channelNotInPlan'> & {
  status: PublicTicketStatus;
  assignee: { name: string | null } | null;
  [extension: string]: unknown;
};

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
    const items = rows.map((row) => ({ row, view: ticketViewFromRow(row), audience: this.audience(principal, row) }));
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

export function customerTicketView(view: TicketView, assigneeName: string | null): CustomerTicketView {
  const { assigneeId, queue: _queue, status, channelNotInPlan: _channelFlag, ...rest } = view;
  return { ...rest, status: PUBLIC_STATUS[status], assignee: assigneeId ? { name: assigneeName } : null };
}
