import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { prepared, queryPrepared } from '@helpdesk/database';
import { daysBetween, LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { MoneyView, moneyView } from '../money/money';
import { Product } from '../policy/collections-policy';

/**
 * Prepared (parsed and planned once per connection): every page of tickets staff read asks it once,
 * and PostgreSQL then no longer parses and plans its CTE and subqueries each time (bench/README.md,
 * "The ticket list at 10 connections").
 */
const BILLING_STATUSES = prepared(
  'billing_statuses',
  `WITH today AS (
       SELECT ($2::timestamptz AT TIME ZONE COALESCE((SELECT timezone FROM collections_policy_versions ORDER BY version DESC LIMIT 1), 'UTC'))::date AS d
     )
     SELECT a.customer_id, a.currency, today.d::text AS today,
            COALESCE(o.outstanding, 0)::text AS outstanding, COALESCE(o.overdue, 0)::text AS overdue,
            COALESCE(o.overdue_invoices, 0)::int AS overdue_invoices, o.oldest_due::text AS oldest_due,
            ARRAY(SELECT DISTINCT s.product FROM subscriptions s WHERE s.customer_id = a.customer_id AND s.status = 'suspended' ORDER BY 1) AS suspended_products,
            ARRAY(SELECT DISTINCT t.disputed_invoice FROM tickets t
                   JOIN invoices d ON d.number = t.disputed_invoice AND d.customer_id = t.customer_id AND d.status = 'open'
                  WHERE t.customer_id = a.customer_id AND t.disputed_invoice IS NOT NULL AND t.category = 'billing'
                    AND t.status NOT IN ('resolved','closed') ORDER BY 1) AS disputed
       FROM today CROSS JOIN billing_accounts a
       LEFT JOIN LATERAL (
         SELECT sum(i.total - i.paid) AS outstanding,
                sum(i.total - i.paid) FILTER (WHERE i.due_on < today.d) AS overdue,
                count(*) FILTER (WHERE i.due_on < today.d) AS overdue_invoices,
                min(i.due_on) FILTER (WHERE i.due_on < today.d) AS oldest_due
           FROM invoices i WHERE i.customer_id = a.customer_id AND i.status = 'open'
       ) o ON true
      WHERE a.customer_id = ANY($1::uuid[])`,
);

export type BillingState = 'current' | 'overdue' | 'suspended';

/** A customer's billing status as staff see it next to its tickets. */
export interface BillingStatus {
  customerId: string;
  state: BillingState;
  /** Unpaid after its due date (null when nothing is). */
  overdue: { amount: MoneyView; days: number; invoices: number } | null;
  outstanding: MoneyView;
  suspendedProducts: Product[];
  /** Invoice numbers the customer disputes in an open billing ticket. */
  disputedInvoices: string[];
}

/**
 * Derives billing status from the invoices and suspensions: `suspended` while any subscription is
 * held suspended, else `overdue` while anything is unpaid past its due date, else `current`.
 * Batch-shaped so that ticket lists can ask for a page of customers in one query (today in the
 * partner's time zone, the latest policy version's, is worked out inside it too).
 */
@Injectable()
export class BillingStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: BillingClock,
  ) {}

  async statuses(customerIds: readonly string[]): Promise<Map<string, BillingStatus>> {
    if (customerIds.length === 0) return new Map();
    const rows: Array<{
      customer_id: string;
      currency: string;
      outstanding: string;
      overdue: string;
      overdue_invoices: number;
      oldest_due: LocalDate | null;
      suspended_products: Product[];
      disputed: string[];
      today: LocalDate;
    }> = await queryPrepared(this.dataSource.manager, BILLING_STATUSES, [customerIds, this.clock.now()]);
    return new Map(
      rows.map((r) => {
        const overdue = Number(r.overdue) > 0 ? { amount: moneyView(r.overdue, r.currency), days: daysBetween(r.oldest_due!, r.today), invoices: r.overdue_invoices } : null;
        const state: BillingState = r.suspended_products.length > 0 ? 'suspended' : overdue ? 'overdue' : 'current';
        return [
          r.customer_id,
          { customerId: r.customer_id, state, overdue, outstanding: moneyView(r.outstanding, r.currency), suspendedProducts: r.suspended_products, disputedInvoices: r.disputed },
        ];
      }),
    );
  }

  async status(customerId: string): Promise<BillingStatus | null> {
    return (await this.statuses([customerId])).get(customerId) ?? null;
  }
}
