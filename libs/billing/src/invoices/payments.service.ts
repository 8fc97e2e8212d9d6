import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { lockAccount } from '../accounts/account-lock';
import { isLocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { formatAmount } from '../money/money';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { amountIn } from '../subscriptions/subscriptions.service';
import { SuspensionsService } from '../suspensions/suspensions.service';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { InvoicesService, invalid } from './invoices.service';
import { InvoiceView } from './invoice.view';

export interface PaymentInput {
  amount: string;
  currency: string;
  /** The bank or processor reference; the same reference again is the same payment. */
  reference: string;
  paidOn?: string;
}

/**
 * Payments against an invoice: partial ones allowed, never more than the balance, never in another
 * currency. A payment that clears what a collections suspension waits for ends it in the same
 * transaction — so a suspension decided but not yet delivered is cancelled, never delivered.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invoices: InvoicesService,
    private readonly suspensions: SuspensionsService,
    private readonly policy: CollectionsPolicyService,
    private readonly timeline: BillingTimeline,
    private readonly outbox: OutboxService,
    private readonly clock: BillingClock,
  ) {}

  async record(principal: Principal, number: string, input: PaymentInput): Promise<{ invoice: InvoiceView; created: boolean }> {
    const actor = actorOf(principal);
    const created = await this.dataSource.transaction(async (manager) => {
      const [found]: Array<{ customer_id: string }> = await manager.query(`SELECT customer_id FROM invoices WHERE number = $1`, [number]);
      if (!found) throw DomainError.notFound('Invoice', number);
      await lockAccount(manager, found.customer_id);
      const [invoice]: Array<{ id: string; currency: string; total: string; paid: string; status: string }> = await manager.query(
        `SELECT id, currency, total, paid, status FROM invoices WHERE number = $1 FOR UPDATE`,
        [number],
      );
      const [earlier]: Array<{ amount: string; currency: string }> = await manager.query(
        `SELECT amount, currency FROM invoice_payments WHERE invoice_id = $1 AND reference = $2`,
        [invoice.id, input.reference],
      );
      if (input.currency !== invoice.currency) {
        throw invalid(DomainErrorCode.Unprocessable, [{ field: 'currency', message: `currency must be the invoice's currency, ${invoice.currency}` }]);
      }
      const amount = amountIn('amount', input.amount, invoice.currency);
      if (amount <= 0) throw DomainError.invalid('amount', 'amount must be more than zero');
      if (earlier) {
        if (Number(earlier.amount) === amount) return false;
        throw new DomainError(DomainErrorCode.Conflict, `Payment ${input.reference} of invoice ${number} was recorded with another amount (${formatAmount(Number(earlier.amount), invoice.currency)})`);
      }
      const today = await this.policy.today(manager);
      const paidOn = input.paidOn ?? today;
      if (!isLocalDate(paidOn)) throw DomainError.invalid('paidOn', 'paidOn must be a date written YYYY-MM-DD');
      if (paidOn > today) throw DomainError.invalid('paidOn', `paidOn must not be in the future (today is ${today})`, FieldErrorCode.AfterToday, { today });
      if (invoice.status === 'void') throw new DomainError(DomainErrorCode.Conflict, `Invoice ${number} is void`);
      const balance = Number(invoice.total) - Number(invoice.paid);
      if (amount > balance) {
        throw invalid(DomainErrorCode.Unprocessable, [{ field: 'amount', message: `amount is more than the balance due (${formatAmount(balance, invoice.currency)} ${invoice.currency})` }], {
          balance: formatAmount(balance, invoice.currency),
        });
      }
      const at = this.clock.now();
      const [[after]]: [Array<{ paid: string; status: string }>, number] = await manager.query(
        `WITH payment AS (
           INSERT INTO invoice_payments (id, invoice_id, customer_id, amount, currency, paid_on, reference, after_suspension, actor_kind, actor_id, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7,
                   EXISTS (SELECT 1 FROM billing_suspensions s WHERE s.customer_id = $3 AND s.status = 'active' AND s.origin = 'collections'), $8, $9, $10)
         )
         UPDATE invoices SET paid = paid + $4, status = CASE WHEN paid + $4 = total THEN 'paid' ELSE status END,
                paid_at = CASE WHEN paid + $4 = total THEN $10 ELSE paid_at END, updated_at = $10
          WHERE id = $2 RETURNING paid, status`,
        [randomUUID(), invoice.id, found.customer_id, amount, invoice.currency, paidOn, input.reference, actor.kind, actor.id, at],
      );
      const data = { number, amount: formatAmount(amount, invoice.currency), currency: invoice.currency, reference: input.reference, paidOn };
      await this.timeline.record(manager, found.customer_id, 'payment_recorded', actor, { ...data, balance: formatAmount(Number(invoice.total) - Number(after.paid), invoice.currency) }, at);
      if (after.status === 'paid') await this.timeline.record(manager, found.customer_id, 'invoice_paid', actor, { number }, at);
      await this.suspensions.settle(manager, found.customer_id, { trigger: 'payment', reason: `payment ${input.reference} on invoice ${number}`, actor });
      return true;
    });
    this.outbox.wakeRelays();
    return { invoice: await this.invoices.get(principal, number), created };
  }
}
