import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TicketChange, TicketHooks } from '@helpdesk/intake';
import { DomainError, DomainErrorCode } from '@helpdesk/http';

/**
 * A ticket's `disputedInvoice` must name an open invoice of the ticket's customer: checked inside
 * the ticket change's transaction (intake writes the field, billing knows the invoices), so a
 * wrong number never lands. Clearing it (null) is always allowed.
 */
@Injectable()
export class DisputeCheck implements OnModuleInit {
  constructor(private readonly hooks: TicketHooks) {}

  onModuleInit(): void {
    this.hooks.register({
      affects: (change) => disputeSet(change) !== null,
      afterChange: async (manager, change) => {
        const number = disputeSet(change);
        if (number !== null) await this.check(manager, change.after.customer_id, number);
        return false;
      },
    });
  }

  private async check(manager: EntityManager, customerId: string, number: string): Promise<void> {
    const [invoice]: Array<{ status: string }> = await manager.query(`SELECT status FROM invoices WHERE number = $1 AND customer_id = $2`, [number, customerId]);
    const problem = !invoice ? `the ticket's customer has no invoice ${number}` : invoice.status !== 'open' ? `invoice ${number} is ${invoice.status}: only an open invoice can be disputed` : null;
    if (problem) {
      throw new DomainError(DomainErrorCode.Unprocessable, `disputedInvoice: ${problem}`, { errors: [{ field: 'disputedInvoice', message: problem }] });
    }
  }
}

/** The invoice number a change sets as disputed (null: it does not set one). */
function disputeSet({ before, after }: TicketChange): string | null {
  const to = (after.disputed_invoice as string | null | undefined) ?? null;
  return to !== null && to !== before.disputed_invoice ? to : null;
}
