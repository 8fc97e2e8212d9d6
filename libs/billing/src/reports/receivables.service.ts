import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, daysBetween, localDate, LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { MoneyView, moneyView, sum } from '../money/money';
import { CollectionsPolicyService } from '../policy/collections-policy.service';

/** Days sales outstanding are measured over this many days of invoicing. */
export const DSO_DAYS = 90;

export const AGING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export interface CurrencyReceivables {
  currency: string;
  outstanding: MoneyView;
  aging: Record<AgingBucket, MoneyView>;
  /** Invoiced (not void) over the last DSO_DAYS days, and DSO = outstanding / that × DSO_DAYS (null without sales). */
  salesLast90Days: MoneyView;
  dso: number | null;
  recoveredAfterSuspension: MoneyView;
}

export interface ReceivablesReport {
  asOf: LocalDate;
  timezone: string;
  currencies: CurrencyReceivables[];
  /** Customers with a subscription held suspended, and those subscriptions. */
  customersSuspended: number;
  subscriptionsSuspended: number;
}

export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'days1to30';
  if (daysPastDue <= 60) return 'days31to60';
  if (daysPastDue <= 90) return 'days61to90';
  return 'over90';
}

/** Open balance by due date and sales by issue date, per currency: the folded totals plus the deltas not folded yet. */
export const RECEIVABLES_BY_DAY = `
  SELECT kind, currency, day::text AS day, sum(amount)::text AS amount FROM (
    SELECT kind, currency, day, amount FROM receivable_totals
    UNION ALL
    SELECT kind, currency, day, amount FROM receivable_deltas
  ) r
  WHERE kind = 'open' OR (kind = 'sales' AND day > $1 AND day <= $2)
  GROUP BY 1, 2, 3 HAVING sum(amount) <> 0`;

/**
 * Receivables: what is owed per currency and how late (aging by days past due in the partner's
 * calendar), DSO, what collections recovered after suspending, and who is suspended. Amounts and
 * counts come from totals kept by statement triggers on `invoices` (per day: a few hundred rows)
 * and `subscriptions`, not from scanning them.
 */
@Injectable()
export class ReceivablesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: CollectionsPolicyService,
    private readonly clock: BillingClock,
  ) {}

  async report(): Promise<ReceivablesReport> {
    const timezone = await this.policy.timezone();
    const today = localDate(this.clock.now(), timezone);
    const [byDay, recovered, [suspended]] = await Promise.all([
      this.dataSource.query(RECEIVABLES_BY_DAY, [addDays(today, -DSO_DAYS), today]) as Promise<Array<{ kind: 'open' | 'sales'; currency: string; day: LocalDate; amount: string }>>,
      this.dataSource.query(`SELECT currency, sum(amount)::text AS amount FROM invoice_payments WHERE after_suspension GROUP BY currency`) as Promise<
        Array<{ currency: string; amount: string }>
      >,
      this.dataSource.query(
        `SELECT (t.customers + COALESCE((SELECT sum(customers) FROM suspension_deltas), 0))::int AS customers,
                (t.subscriptions + COALESCE((SELECT sum(subscriptions) FROM suspension_deltas), 0))::int AS subscriptions
           FROM suspension_totals t`,
      ) as Promise<Array<{ customers: number; subscriptions: number }>>,
    ]);
    const currencies = [...new Set([...byDay.map((r) => r.currency), ...recovered.map((r) => r.currency)])].sort();
    return {
      asOf: today,
      timezone,
      currencies: currencies.map((currency) => {
        const open = byDay.filter((r) => r.currency === currency && r.kind === 'open');
        const aging = Object.fromEntries(
          AGING_BUCKETS.map((bucket) => [bucket, sum(open.filter((r) => agingBucket(daysBetween(r.day, today)) === bucket).map((r) => Number(r.amount)), currency)]),
        ) as Record<AgingBucket, number>;
        const outstanding = sum(Object.values(aging), currency);
        const sales = sum(byDay.filter((r) => r.currency === currency && r.kind === 'sales').map((r) => Number(r.amount)), currency);
        return {
          currency,
          outstanding: moneyView(outstanding, currency),
          aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b, moneyView(aging[b], currency)])) as Record<AgingBucket, MoneyView>,
          salesLast90Days: moneyView(sales, currency),
          dso: sales > 0 ? Math.round((outstanding / sales) * DSO_DAYS * 10) / 10 : null,
          recoveredAfterSuspension: moneyView(recovered.find((r) => r.currency === currency)?.amount ?? 0, currency),
        };
      }),
      customersSuspended: suspended.customers,
      subscriptionsSuspended: suspended.subscriptions,
    };
  }
}
