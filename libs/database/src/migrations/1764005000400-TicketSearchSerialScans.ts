import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake (`ticket_search`): no parallel scans. A search or a view's count reads this table in small
 * steps (a number range's matches, up to a page or a cap: ticket-search.ts); PostgreSQL planned some
 * of those steps as a parallel bitmap scan, whose workers cost more to start than the step takes
 * (EXPLAIN ANALYZE in bench/README.md, "Workbench").
 */
export class TicketSearchSerialScans1764005000400 implements MigrationInterface {
  name = 'TicketSearchSerialScans1764005000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_search SET (parallel_workers = 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_search RESET (parallel_workers)`);
  }
}
