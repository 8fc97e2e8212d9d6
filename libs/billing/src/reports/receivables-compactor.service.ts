import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const COMPACT_LOCK_KEY = 7_202_612_010;
export const RECEIVABLES_COMPACT_EVERY_MS = 5_000;

/**
 * Folds the deltas that invoice and subscription changes append (receivables per day, suspended
 * subscriptions and customers) into their totals (worker only; one compactor at a time across
 * workers). Reports read totals and deltas together, so this only keeps the deltas few.
 */
@Injectable()
export class ReceivablesCompactor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReceivablesCompactor');
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.compact()
        .catch((e: Error) => (this.logger.warn(`receivables compaction failed: ${e.message}`), 0))
        .finally(() => (this.running = null));
    }, RECEIVABLES_COMPACT_EVERY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** How many delta rows were folded. */
  compact(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACT_LOCK_KEY]);
      if (!locked) return 0;
      const [{ n }]: Array<{ n: number }> = await manager.query(`
        WITH moved AS (
          DELETE FROM receivable_deltas WHERE id <= (SELECT max(id) FROM receivable_deltas) RETURNING kind, currency, day, amount
        ), summed AS (
          SELECT kind, currency, day, sum(amount)::bigint AS amount, count(*) AS rows FROM moved GROUP BY 1, 2, 3
        ), upserted AS (
          INSERT INTO receivable_totals (kind, currency, day, amount) SELECT kind, currency, day, amount FROM summed
          ON CONFLICT (kind, currency, day) DO UPDATE SET amount = receivable_totals.amount + EXCLUDED.amount
        )
        SELECT COALESCE(sum(rows), 0)::int AS n FROM summed`);
      await manager.query('DELETE FROM receivable_totals WHERE amount = 0');
      const [[{ folded }]]: [Array<{ folded: number }>, number] = await manager.query(`
        WITH moved AS (
          DELETE FROM suspension_deltas WHERE id <= (SELECT max(id) FROM suspension_deltas) RETURNING subscriptions, customers
        )
        UPDATE suspension_totals SET subscriptions = subscriptions + (SELECT COALESCE(sum(subscriptions), 0) FROM moved),
                                     customers = customers + (SELECT COALESCE(sum(customers), 0) FROM moved)
         WHERE id = 1 RETURNING (SELECT count(*) FROM moved)::int AS folded`);
      return n + folded;
    });
  }
}
