import { Injectable, OnModuleInit } from '@nestjs/common';
import { PresentedTicket, TicketHooks } from '@helpdesk/intake';
import { BillingStatus, BillingStatusService } from '../accounts/billing-status';

/** What a ticket read shows staff of its customer's billing (null: the customer has no billing account). */
export type TicketBillingView = Omit<BillingStatus, 'customerId'> | null;

/**
 * Staff reading tickets (those who work them and those who only read them) see each customer's
 * billing status next to the ticket: current, overdue (days, amount, invoices) or suspended (which
 * products). Customers never do. One query per page of tickets.
 */
@Injectable()
export class TicketBillingStatus implements OnModuleInit {
  constructor(
    private readonly hooks: TicketHooks,
    private readonly statuses: BillingStatusService,
  ) {}

  onModuleInit(): void {
    this.hooks.register({ extendViews: (items) => this.extendViews(items) });
  }

  async extendViews(items: readonly PresentedTicket[]): Promise<void> {
    const staff = items.filter((item) => item.audience !== 'customer');
    if (staff.length === 0) return;
    const found = await this.statuses.statuses([...new Set(staff.map((item) => item.row.customer_id))]);
    for (const { row, view } of staff) {
      const status = found.get(row.customer_id);
      view.billing = status ? billingView(status) : null;
    }
  }
}

function billingView({ customerId: _customerId, ...rest }: BillingStatus): TicketBillingView {
  return rest;
}
