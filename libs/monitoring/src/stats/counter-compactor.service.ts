import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeltaFolder } from '@helpdesk/database';

const COMPACT_LOCK_KEY = 7_202_611_270;
export const COMPACT_EVERY_MS = 2_000;

/**
 * Folds the ticket counter deltas written so far into the counters, in one statement; answers how
 * many delta rows it folded (`n`). The compactor runs it every 2 s; a bench without a worker, itself.
 */
export const FOLD_COUNTER_DELTAS_SQL = `
  WITH moved AS (
    DELETE FROM ticket_queue_counter_deltas
     WHERE id <= (SELECT max(id) FROM ticket_queue_counter_deltas)
    RETURNING queue, status, priority, unassigned, n
  ), summed AS (
    SELECT queue, status, priority, unassigned, sum(n)::bigint AS n, count(*) AS rows FROM moved GROUP BY 1, 2, 3, 4
  ), upserted AS (
    INSERT INTO ticket_queue_counters (queue, status, priority, unassigned, n)
    SELECT queue, status, priority, unassigned, n FROM summed
    ON CONFLICT (queue, status, priority, unassigned) DO UPDATE SET n = ticket_queue_counters.n + EXCLUDED.n
  )
  SELECT COALESCE(sum(rows), 0)::text AS n FROM summed`;

/** Folds ticket counter deltas into the counters (one compactor at a time across workers). */
@Injectable()
export class CounterCompactor extends DeltaFolder {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, COMPACT_LOCK_KEY, COMPACT_EVERY_MS);
  }

  /** Returns how many delta rows were folded. */
  protected async fold(manager: EntityManager): Promise<number> {
    const rows: Array<{ n: string }> = await manager.query(FOLD_COUNTER_DELTAS_SQL);
    await manager.query('DELETE FROM ticket_queue_counters WHERE n = 0');
    return Number(rows[0].n);
  }
}
