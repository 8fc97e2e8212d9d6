import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /tickets?queue=…&status=… newest first. With only (queue, number) and (status, number) a
 * rare status in a small queue (e.g. escalated tickets in "vip") makes PostgreSQL AND two bitmaps
 * and sort a large table; this index reads the page directly (figures: bench/README.md, "List").
 */
export class IntakeListIndexes1764000150000 implements MigrationInterface {
  name = 'IntakeListIndexes1764000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tickets_queue_status_number_idx ON tickets (queue, status, number DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_queue_status_number_idx`);
  }
}
