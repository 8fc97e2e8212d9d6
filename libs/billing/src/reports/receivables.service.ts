import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, localDate, LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { MoneyView, moneyView } from '../money/money';
import { CollectionsPolicyService } from '../policy/collections-policy.service';

/** Days sales outstanding are measured over this many days of invoicing. */
export const DSO_DAYS = 90;

export interface CurrencyReceivables {
  currency: string;
  outstanding: MoneyView;
  aging: { current: MoneyView; days1to30: MoneyView; days31to60: MoneyView; days61to90: MoneyView; over90: MoneyView };
  /** Invoiced (not void) over the last DSO_DAYS days, and DSO = outstanding / that × DSO_DAYS (null without sales). */
  salesLast90Days: MoneyView;
  dso: number | null;
  recoveredAfterSuspension: MoneyView;
}

export interface ReceivablesReport {
  asOf: LocalDate;
  timezone: string;
  currencies: CurrencyReceivables[];
  customersSuspended: number;
  subscriptionsSuspended: number;
}

/**
 * Receivables: what is owed per currency and how late (aging by days past due in the partner's
 * calendar), DSO, what collections recovered after suspending, and who is suspended. Each figure
 * is one aggregate over a partial or covering index (open invoices; the last 90 days of sales;
 * payments flagged as recovered; suspended subscriptions).
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
    const d = (days: number) => addDays(today, -days);
    const [aging, sales, recovered, suspended] = await Promise.all([
      this.dataSource.query(
        `SELECT currency,
                sum(total - paid)::text AS outstanding,
                COALESCE(sum(total - paid) FILTER (WHERE due_on >= $1), 0)::text AS current,
                COALESCE(sum(total - paid) FILTER (WHERE due_on < $1 AND due_on >= $2), 0)::text AS d30,
                COALESCE(sum(total - paid) FILTER (WHERE due_on < $2 AND due_on >= $3), 0)::text AS d60,
                COALESCE(sum(total - paid) FILTER (WHERE due_on < $3 AND due_on >= $4), 0)::text AS d90,
                COALESCE(sum(total - paid) FILTER (WHERE due_on < $4), 0)::text AS over90
           FROM invoices WHERE status = 'open' GROUP BY currency`,
        [today, d(30), d(60), d(90)],
      ) as Promise<Array<{ currency: string; outstanding: string; current: string; d30: string; d60: string; d90: string; over90: string }>>,
      this.dataSource.query(
        `SELECT currency, sum(total)::text AS sales FROM invoices WHERE status <> 'void' AND issued_on > $1 AND issued_on <= $2 GROUP BY currency`,
        [d(DSO_DAYS), today],
      ) as Promise<Array<{ currency: string; sales: string }>>,
      this.dataSource.query(`SELECT currency, sum(amount)::text AS amount FROM invoice_payments WHERE after_suspension GROUP BY currency`) as Promise<
        Array<{ currency: string; amount: string }>
      >,
      this.dataSource.query(
        `SELECT count(DISTINCT customer_id)::int AS customers, count(*)::int AS subscriptions FROM subscriptions WHERE status = 'suspended'`,
      ) as Promise<Array<{ customers: number; subscriptions: number }>>,
    ]);
    const salesOf = new Map(sales.map((s) => [s.currency, Number(s.sales)]));
    const recoveredOf = new Map(recovered.map((r) => [r.currency, Number(r.amount)]));
    const currencies = [...new Set([...aging.map((a) => a.currency), ...sales.map((s) => s.currency), ...recovered.map((r) => r.currency)])].sort();
    return {
      asOf: today,
      timezone,
      currencies: currencies.map((currency) => {
        const a = aging.find((row) => row.currency === currency);
        const outstanding = Number(a?.outstanding ?? 0);
        const salesAmount = salesOf.get(currency) ?? 0;
        return {
          currency,
          outstanding: moneyView(outstanding, currency),
          aging: {
            current: moneyView(a?.current ?? 0, currency),
            days1to30: moneyView(a?.d30 ?? 0, currency),
            days31to60: moneyView(a?.d60 ?? 0, currency),
            days61to90: moneyView(a?.d90 ?? 0, currency),
            over90: moneyView(a?.over90 ?? 0, currency),
          },
          salesLast90Days: moneyView(salesAmount, currency),
          dso: salesAmount > 0 ? Math.round((outstanding / salesAmount) * DSO_DAYS * 10) / 10 : null,
          recoveredAfterSuspension: moneyView(recoveredOf.get(currency) ?? 0, currency),
        };
      }),
      customersSuspended: suspended[0].customers,
      subscriptionsSuspended: suspended[0].subscriptions,
    };
  }
}
