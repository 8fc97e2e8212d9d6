import { MigrationInterface, QueryRunner } from 'typeorm';

export class Escalation1764000300000 implements MigrationInterface {
  name = 'Escalation1764000300000';

  async up(q: QueryRunner): Promise<void> {
    // What the partner holds today: one row. A contract is {active, hoursRemaining, hoursPurchased, expiresOn}.
    await q.query(`
      CREATE TABLE entitlements (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        competency text NOT NULL DEFAULT 'none' CHECK (competency IN ('gold','silver','none')),
        premier jsonb NOT NULL DEFAULT '{"active":false,"hoursRemaining":0,"hoursPurchased":0,"expiresOn":null}',
        advanced jsonb NOT NULL DEFAULT '{"active":false,"hoursRemaining":0,"hoursPurchased":0,"expiresOn":null}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO entitlements (id) VALUES (1)`);

    await q.query(`
      CREATE TABLE escalation_tiers (
        tier text PRIMARY KEY CHECK (tier IN ('commercial','premier','advanced','signature_cloud')),
        delivery text NOT NULL CHECK (delivery IN ('webhook','manual')),
        webhook_url text,
        secret text,
        timeout_ms int NOT NULL DEFAULT 10000 CHECK (timeout_ms > 0),
        max_per_minute int CHECK (max_per_minute > 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (delivery = 'manual' OR (webhook_url IS NOT NULL AND secret IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE escalations (
        id uuid PRIMARY KEY,
        number bigint GENERATED ALWAYS AS IDENTITY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        tier text NOT NULL CHECK (tier IN ('commercial','premier','advanced','signature_cloud')),
        status text NOT NULL CHECK (status IN ('queued','awaiting_vendor_case','submitted','acknowledged','resolved','rejected','failed')),
        trigger text NOT NULL CHECK (trigger IN ('manual','sla_breach')),
        reason text NOT NULL,
        routing jsonb NOT NULL,
        entitlements_snapshot jsonb NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','customer','system')),
        actor_id uuid,
        vendor_case_id text,
        note text,
        hours_used numeric(10,2),
        last_error text,
        delivery_round int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        closed_at timestamptz,
        CONSTRAINT escalations_number_key UNIQUE (number)
      )`);
    // At most one open escalation per ticket, and at most one automatic one ever.
    await q.query(`CREATE UNIQUE INDEX escalations_open_ticket_key ON escalations (ticket_id) WHERE status NOT IN ('resolved','rejected')`);
    await q.query(`CREATE UNIQUE INDEX escalations_auto_ticket_key ON escalations (ticket_id) WHERE trigger = 'sla_breach'`);
    await q.query(`CREATE INDEX escalations_number_idx ON escalations (number DESC)`);
    await q.query(`CREATE INDEX escalations_status_number_idx ON escalations (status, number DESC)`);
    await q.query(`CREATE INDEX escalations_tier_number_idx ON escalations (tier, number DESC)`);

    await q.query(`
      CREATE TABLE escalation_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        escalation_id uuid NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
        delivery_id uuid NOT NULL,
        at timestamptz NOT NULL,
        http_status int,
        error text,
        duration_ms int NOT NULL
      )`);
    await q.query(`CREATE INDEX escalation_attempts_escalation_idx ON escalation_attempts (escalation_id, id)`);

    await q.query(`
      CREATE TABLE escalation_policy (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        auto_escalate_on_resolution_breach boolean NOT NULL DEFAULT false,
        priorities text[] NOT NULL DEFAULT '{}',
        only_out_of_scope boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO escalation_policy (id) VALUES (1)`);

    // Inbound vendor callbacks already applied (a replayed delivery id is ignored).
    await q.query(`
      CREATE TABLE escalation_callback_deliveries (
        delivery_id text PRIMARY KEY,
        tier text NOT NULL,
        escalation_id uuid,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE escalation_callback_deliveries');
    await q.query('DROP TABLE escalation_policy');
    await q.query('DROP TABLE escalation_attempts');
    await q.query('DROP TABLE escalations');
    await q.query('DROP TABLE escalation_tiers');
    await q.query('DROP TABLE entitlements');
  }
}
