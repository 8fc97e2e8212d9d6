import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers get every domain they mail from (`customer_domains`, unique across customers; the
 * first stays `customers.domain`) and their contacts (unique e-mail per customer, at most one
 * primary). A ticket's SLA clock can restart on a new plan: from `sla_clock_start_at` with
 * `sla_used_minutes` already spent under the plans before it.
 */
export class CustomerDetails1764004120000 implements MigrationInterface {
  name = 'CustomerDetails1764004120000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_domains (
        domain text PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        position int NOT NULL
      )`);
    await q.query(`CREATE INDEX customer_domains_customer_idx ON customer_domains (customer_id, position)`);
    await q.query(`INSERT INTO customer_domains (domain, customer_id, position) SELECT domain, id, 0 FROM customers`);
    await q.query(`
      CREATE TABLE customer_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        name text NOT NULL,
        email text NOT NULL CHECK (email = lower(email)),
        phone text,
        locale text NOT NULL CHECK (locale IN ('es', 'en')),
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT customer_contacts_email_key UNIQUE (customer_id, email)
      )`);
    await q.query(`CREATE UNIQUE INDEX customer_contacts_one_primary ON customer_contacts (customer_id) WHERE is_primary`);
    // The e-mail channel's lookup of a sender.
    await q.query(`CREATE INDEX customer_contacts_email_idx ON customer_contacts (email)`);
    await q.query(`ALTER TABLE tickets ADD COLUMN sla_clock_start_at timestamptz, ADD COLUMN sla_used_minutes double precision NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN sla_used_minutes, DROP COLUMN sla_clock_start_at`);
    await q.query(`DROP TABLE customer_contacts`);
    await q.query(`DROP TABLE customer_domains`);
  }
}
