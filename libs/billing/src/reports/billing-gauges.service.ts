import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY } from '@helpdesk/monitoring';
import { withTimeout } from '@helpdesk/queue';
import { exponentOf } from '../money/money';
import { CollectionsPolicyService } from '../policy/collections-policy.service';

const READ_TIMEOUT_MS = 2_000;

/**
 * Billing gauges on the api's /metrics, read at scrape time: the overdue amount per currency (in
 * the currency's major unit, as Prometheus wants base units) and the suspended subscriptions per
 * product and origin (collections or manual).
 */
@Injectable()
export class BillingGauges implements OnModuleInit {
  private readonly logger = new Logger('Metrics');

  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: CollectionsPolicyService,
  ) {}

  onModuleInit(): void {
    const read = this.read.bind(this);
    const policy = this.policy;
    new Gauge({
      name: 'helpdesk_billing_overdue_amount',
      help: 'Unpaid amount of open invoices past their due date (partner calendar), per currency, in major units',
      labelNames: ['currency'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await read<Array<{ currency: string; overdue: string }>>('overdue amount', async (ds) =>
          ds.query(
            `SELECT currency, sum(amount)::text AS overdue FROM (
               SELECT currency, day, amount FROM receivable_totals WHERE kind = 'open'
               UNION ALL SELECT currency, day, amount FROM receivable_deltas WHERE kind = 'open'
             ) r WHERE day < $1 GROUP BY currency`,
            [await policy.today()],
          ),
        );
        for (const r of rows ?? []) this.set({ currency: r.currency }, Number(r.overdue) / 10 ** exponentOf(r.currency));
      },
    });
    new Gauge({
      name: 'helpdesk_billing_suspended_subscriptions',
      help: 'Subscriptions suspended now, by product and by who suspended them (collections, manual)',
      labelNames: ['product', 'origin'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await read<Array<{ product: string; origin: string; n: number }>>('suspended subscriptions', (ds) =>
          ds.query(
            `SELECT s.product, b.origin, count(*)::int AS n FROM subscriptions s JOIN billing_suspensions b ON b.id = s.suspension_id
              WHERE s.status = 'suspended' GROUP BY 1, 2`,
          ),
        );
        for (const r of rows ?? []) this.set({ product: r.product, origin: r.origin }, r.n);
      },
    });
  }

  private async read<T>(what: string, work: (dataSource: DataSource) => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(work(this.dataSource), READ_TIMEOUT_MS, what);
    } catch (error) {
      this.logger.warn(`metrics: ${what} unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
