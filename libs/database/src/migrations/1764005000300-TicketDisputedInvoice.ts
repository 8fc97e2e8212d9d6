import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake: `tickets.disputed_invoice`, the invoice number an open `billing` ticket disputes. Intake
 * owns `tickets` and is the only writer of this column (`PATCH /tickets/:id {disputedInvoice}`,
 * ticket-writes.ts, a `dispute_changed` event); billing reads it for the dispute grace and checks
 * the number through its ticket hook.
 *
 * Billing's migration 1764002000000 added the column before this one existed: a database migrated
 * then has it already, with its data, and this migration leaves it as it is (IF NOT EXISTS); a new
 * database gets it here. Either way the schema ends the same.
 */
export class TicketDisputedInvoice1764005000300 implements MigrationInterface {
  name = 'TicketDisputedInvoice1764005000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN IF NOT EXISTS disputed_invoice text`);
    await q.query(`CREATE INDEX IF NOT EXISTS tickets_disputed_invoice_idx ON tickets (customer_id) WHERE disputed_invoice IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tickets_disputed_invoice_idx');
    await q.query('ALTER TABLE tickets DROP COLUMN disputed_invoice');
  }
}
