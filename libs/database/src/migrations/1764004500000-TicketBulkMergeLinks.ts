import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake's tables for working many tickets at once and relating them:
 *  - `ticket_bulk_requests`: every `POST /tickets/bulk`, who sent it, what it set and its per-id
 *    results; with an Idempotency-Key, a repeat returns those results without applying anything;
 *  - `tickets.merged_into`: the ticket a duplicate was merged into (set once, when it is closed by
 *    the merge); the partial index finds what was merged into a ticket;
 *  - `ticket_links`: related tickets, one row per pair (smaller id first), read from either side.
 */
export class TicketBulkMergeLinks1764004500000 implements MigrationInterface {
  name = 'TicketBulkMergeLinks1764004500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_bulk_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        caller text NOT NULL,
        key text,
        request_hash char(64) NOT NULL,
        change jsonb NOT NULL,
        results jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX ticket_bulk_requests_key ON ticket_bulk_requests (caller, key) WHERE key IS NOT NULL`);
    await q.query(`ALTER TABLE tickets ADD COLUMN merged_into uuid REFERENCES tickets(id)`);
    await q.query(`ALTER TABLE tickets ADD CONSTRAINT tickets_not_merged_into_itself CHECK (merged_into <> id)`);
    await q.query(`CREATE INDEX tickets_merged_into_idx ON tickets (merged_into) WHERE merged_into IS NOT NULL`);
    await q.query(`
      CREATE TABLE ticket_links (
        ticket_a uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        ticket_b uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_a, ticket_b),
        CONSTRAINT ticket_links_ordered CHECK (ticket_a < ticket_b)
      )`);
    await q.query(`CREATE INDEX ticket_links_b_idx ON ticket_links (ticket_b)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_links`);
    await q.query(`ALTER TABLE tickets DROP COLUMN merged_into`);
    await q.query(`DROP TABLE ticket_bulk_requests`);
  }
}
