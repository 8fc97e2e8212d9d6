import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake (tickets): autovacuum visits `tickets` after 1 % of its rows changed (or were inserted)
 * instead of PostgreSQL's 20 %. The workbench's counts and sorts read the tickets' indexes alone
 * (index-only scans: `GET /views`, the `due` sort's running-clock indexes) only on pages the
 * visibility map marks all-visible, and every ticket update clears its page's mark until the next
 * vacuum. With 1,000,000 tickets, 60,000 updates since the last vacuum (well under 20 %) made
 * `GET /views`' eight counts read 22,465 buffers (2,055 heap fetches for "unassigned in my queues"
 * alone); after a vacuum, 6,818 (bench/README.md, branch r7-tails). A vacuum of the pages changed
 * since the last one is cheap; the open tickets, which are the ones updated, are the ones counted.
 * Storage parameters only: no rewrite, no lock beyond a moment's SHARE UPDATE EXCLUSIVE.
 */
export class TicketsVacuumedOften1764005590000 implements MigrationInterface {
  name = 'TicketsVacuumedOften1764005590000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE tickets SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 1000)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE tickets RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold)`,
    );
  }
}
