import { MigrationInterface, QueryRunner } from 'typeorm';

export class Intake1764000100000 implements MigrationInterface {
  name = 'Intake1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE support_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        timezone text NOT NULL,
        business_hours jsonb NOT NULL DEFAULT '[]',
        holidays jsonb NOT NULL DEFAULT '[]',
        contact_methods text[] NOT NULL,
        price jsonb,
        targets jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        domain text NOT NULL,
        support_plan_id uuid NOT NULL REFERENCES support_plans(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT customers_domain_key UNIQUE (domain)
      )`);
    await q.query(`ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_customer_fk FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE`);
    await q.query(`CREATE SEQUENCE ticket_number_seq`);
    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        number bigint NOT NULL DEFAULT nextval('ticket_number_seq'),
        customer_id uuid NOT NULL REFERENCES customers(id),
        subject text NOT NULL,
        description text NOT NULL,
        category text CHECK (category IN ('billing','subscription_management','technical')),
        product text CHECK (product IN ('azure','microsoft_365','dynamics_365','other')),
        severity text CHECK (severity IN ('P1','P2','P3','P4')),
        priority text NOT NULL CHECK (priority IN ('P1','P2','P3','P4')),
        status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','triaged','in_progress','waiting_on_customer','escalated','resolved','closed')),
        channel text NOT NULL CHECK (channel IN ('portal','email','phone','api')),
        requester_name text NOT NULL,
        requester_email text NOT NULL,
        assignee_id uuid REFERENCES agents(id),
        queue text,
        tags text[] NOT NULL DEFAULT '{}',
        external_id text,
        first_responded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tickets_number_key UNIQUE (number)
      )`);
    await q.query(`ALTER SEQUENCE ticket_number_seq OWNED BY tickets.number`);
    await q.query(`CREATE UNIQUE INDEX tickets_customer_external_id_key ON tickets (customer_id, external_id) WHERE external_id IS NOT NULL`);
    // Keyset pagination, newest first, per filter the lists use.
    await q.query(`CREATE INDEX tickets_queue_number_idx ON tickets (queue, number DESC)`);
    await q.query(`CREATE INDEX tickets_customer_number_idx ON tickets (customer_id, number DESC)`);
    await q.query(`CREATE INDEX tickets_status_number_idx ON tickets (status, number DESC)`);
    await q.query(`CREATE INDEX tickets_assignee_number_idx ON tickets (assignee_id, number DESC) WHERE assignee_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE ticket_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        type text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        data jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_events_ticket_seq_idx ON ticket_events (ticket_id, seq)`);
    await q.query(`
      CREATE TABLE ticket_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        author_kind text NOT NULL CHECK (author_kind IN ('staff','customer','system')),
        author_id uuid,
        body text NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('public','internal')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, created_at)`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        caller text NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        ticket_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (caller, key)
      )`);
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE outbox');
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP TABLE ticket_comments');
    await q.query('DROP TABLE ticket_events');
    await q.query('DROP TABLE tickets');
    await q.query('ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_customer_fk');
    await q.query('DROP TABLE customers');
    await q.query('DROP TABLE support_plans');
  }
}
