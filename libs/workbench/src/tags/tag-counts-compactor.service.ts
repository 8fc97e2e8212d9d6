import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeltaFolder } from '@helpdesk/database';

const COMPACT_LOCK_KEY = 7_202_611_280;
export const TAG_COMPACT_EVERY_MS = 2_000;

/** Folds the tag-count deltas into the counters every few seconds (one worker at a time). */
@Injectable()
export class TagCountsCompactor extends DeltaFolder {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, COMPACT_LOCK_KEY, TAG_COMPACT_EVERY_MS);
  }

  protected async fold(manager: EntityManager): Promise<number> {
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
  }
}
