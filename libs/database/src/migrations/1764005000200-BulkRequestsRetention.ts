import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake: `ticket_bulk_requests` are pruned past IDEMPOTENCY_KEY_RETENTION_HOURS by the worker's
 * housekeeping, oldest first, in batches: this index finds them without reading the table.
 */
export class BulkRequestsRetention1764005000200 implements MigrationInterface {
  name = 'BulkRequestsRetention1764005000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ticket_bulk_requests_created_idx ON ticket_bulk_requests (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ticket_bulk_requests_created_idx');
  }
}
