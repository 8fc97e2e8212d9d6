import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const COMPACT_LOCK_KEY = 7_202_611_280;
export const TAG_COMPACT_EVERY_MS = 2_000;

/** Folds the tag-count deltas into the counters every few seconds (one worker at a time). */
@Injectable()
export class TagCountsCompactor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TagCountsCompactor');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.compact()
        .catch((e: Error) => this.logger.warn(`tag count compaction failed: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, TAG_COMPACT_EVERY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** How many delta rows were folded (0 when another worker is folding). */
  async compact(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [COMPACT_LOCK_KEY]);
      if (!locked) return 0;
      const [{ n }]: Array<{ n: string }> = await manager.query(`
        WITH moved AS (
          DELETE FROM ticket_tag_count_deltas RETURNING tag, n
        ), summed AS (
          SELECT tag, sum(n)::bigint AS n, count(*) AS rows FROM moved GROUP BY tag
        ), folded AS (
          INSERT INTO ticket_tag_counts (tag, n) SELECT tag, n FROM summed
          ON CONFLICT (tag) DO UPDATE SET n = ticket_tag_counts.n + EXCLUDED.n
        )
        SELECT COALESCE(sum(rows), 0)::text AS n FROM summed`);
      await manager.query('DELETE FROM ticket_tag_counts WHERE n <= 0');
      return Number(n);
    });
  }
}
