import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing: the dunning steps a dispute holds. While a customer disputes an invoice in an open
 * `billing` ticket, no step of that invoice (reminder, final notice, suspension) goes out, and the
 * customer is not suspended for any invoice. Each held (invoice, policy version, step) is recorded
 * once, the first run that holds it; the step itself is applied (once, in `dunning_actions`) by the
 * first run after the dispute ends. Like `dunning_actions`, no foreign keys: only billing writes it,
 * under the customer's account lock.
 */
export class DunningHolds1764005000000 implements MigrationInterface {
  name = 'DunningHolds1764005000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dunning_holds (
        invoice_id uuid NOT NULL,
        policy_version int NOT NULL,
        step int NOT NULL,
        action text NOT NULL CHECK (action IN ('remind','final_notice','suspend')),
        customer_id uuid NOT NULL,
        invoice_number text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('invoice_disputed','customer_disputes')),
        disputed_invoices text[] NOT NULL,
        run_id uuid,
        held_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (invoice_id, policy_version, step)
      )`);
    await q.query(`CREATE INDEX dunning_holds_customer_idx ON dunning_holds (customer_id, held_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dunning_holds');
  }
}
