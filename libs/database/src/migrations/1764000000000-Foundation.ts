import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        roles text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT agents_email_key UNIQUE (email),
        CONSTRAINT agents_roles_valid CHECK (
          cardinality(roles) > 0 AND
          roles <@ ARRAY['global_admin','admin_agent','helpdesk_agent','billing_admin','sales_agent']::text[])
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('staff','customer')),
        agent_id uuid REFERENCES agents(id) ON DELETE CASCADE,
        customer_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT api_tokens_hash_key UNIQUE (token_hash),
        CONSTRAINT api_tokens_owner CHECK (
          (kind = 'staff' AND agent_id IS NOT NULL AND customer_id IS NULL) OR
          (kind = 'customer' AND customer_id IS NOT NULL AND agent_id IS NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_tokens');
    await q.query('DROP TABLE agents');
  }
}
