import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring (ticket_queue_counter_deltas): autovacuum visits the counters' delta table once 100
 * rows are dead (or 1,000 inserted) since its last visit, whatever the table's size estimate,
 * instead of PostgreSQL's 50 + 20 % (1,000 + 20 %) of `reltuples`. Every ticket change inserts a
 * delta or two and the compactor deletes them all every 2 s, so the table's live rows are few and
 * nearly all its rows dead: until autovacuum comes, the compactor's fold (`max(id)`, then the
 * DELETE) and the stats' sum of the deltas read every dead row and index entry left since. The
 * 20 % is of an estimate taken at the table's last vacuum or analyse, which taken during a backlog
 * (a seed, an import, the worker down for a while) is the backlog's size, so a fixed count is the
 * trigger here; near empty, it is about the default's. Autovacuum still comes at most once a
 * naptime (server-wide, 1 min by default): that floor is not the table's to lower. A vacuum of a
 * table this small is cheap. Storage parameters only, as 1764005590000 did for tickets: no
 * rewrite, no lock beyond a moment's SHARE UPDATE EXCLUSIVE.
 */
export class CounterDeltasVacuumedOften1764005750000 implements MigrationInterface {
  name = 'CounterDeltasVacuumedOften1764005750000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ticket_queue_counter_deltas SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 100, autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ticket_queue_counter_deltas RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold)`,
    );
  }
}
