import { MigrationInterface, QueryRunner } from 'typeorm';

export class Triage1764000200000 implements MigrationInterface {
  name = 'Triage1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    // unaccent() is only STABLE (its dictionary could change); generated columns need IMMUTABLE.
    await q.query(`
      CREATE FUNCTION helpdesk_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);

    await q.query(`
      CREATE TABLE triage_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        position int NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        stop_on_match boolean NOT NULL DEFAULT false,
        conditions jsonb NOT NULL,
        actions jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX triage_rules_position_idx ON triage_rules (position, id) WHERE enabled`);

    await q.query(`
      CREATE TABLE known_issues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        symptoms text NOT NULL,
        product text CHECK (product IN ('azure','microsoft_365','dynamics_365','other')),
        category text CHECK (category IN ('billing','subscription_management','technical')),
        resolution text NOT NULL,
        runbook_url text,
        in_scope boolean NOT NULL,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', helpdesk_unaccent(title)), 'A') ||
          setweight(to_tsvector('simple', helpdesk_unaccent(symptoms)), 'B')
        ) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX known_issues_search_idx ON known_issues USING gin (search)`);

    await q.query(`
      ALTER TABLE agents
        ADD COLUMN queues text[] NOT NULL DEFAULT '{}',
        ADD COLUMN max_open_tickets int NOT NULL DEFAULT 20 CHECK (max_open_tickets >= 0),
        ADD COLUMN available boolean NOT NULL DEFAULT true,
        ADD COLUMN last_assigned_at timestamptz`);
    await q.query(`CREATE INDEX agents_queues_idx ON agents USING gin (queues)`);

    await q.query(`
      ALTER TABLE tickets
        ADD COLUMN triaged_at timestamptz,
        ADD COLUMN diagnosis jsonb,
        ADD COLUMN in_scope boolean,
        ADD COLUMN priority_suggestion jsonb,
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN sla_started_at timestamptz,
        ADD COLUMN first_response_due_at timestamptz,
        ADD COLUMN first_response_warn_at timestamptz,
        ADD COLUMN resolution_due_at timestamptz,
        ADD COLUMN resolution_warn_at timestamptz,
        ADD COLUMN sla_paused_since timestamptz,
        ADD COLUMN sla_paused_minutes double precision NOT NULL DEFAULT 0,
        ADD COLUMN sla_first_response_warned boolean NOT NULL DEFAULT false,
        ADD COLUMN sla_resolution_warned boolean NOT NULL DEFAULT false,
        ADD COLUMN sla_first_response_breached boolean NOT NULL DEFAULT false,
        ADD COLUMN sla_resolution_breached boolean NOT NULL DEFAULT false`);
    // The SLA monitor scans only what can still warn or breach, by due date.
    await q.query(`CREATE INDEX tickets_first_response_watch_idx ON tickets (first_response_warn_at)
                     WHERE first_responded_at IS NULL AND NOT sla_first_response_breached AND first_response_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_resolution_watch_idx ON tickets (resolution_warn_at)
                     WHERE resolved_at IS NULL AND NOT sla_resolution_breached AND resolution_due_at IS NOT NULL`);
    // Open tickets per assignee (assignment caps).
    await q.query(`CREATE INDEX tickets_open_assignee_idx ON tickets (assignee_id) WHERE status NOT IN ('resolved','closed') AND assignee_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_open_assignee_idx`);
    await q.query(`DROP INDEX tickets_resolution_watch_idx`);
    await q.query(`DROP INDEX tickets_first_response_watch_idx`);
    await q.query(`ALTER TABLE tickets DROP COLUMN triaged_at, DROP COLUMN diagnosis, DROP COLUMN in_scope, DROP COLUMN priority_suggestion,
      DROP COLUMN resolved_at, DROP COLUMN sla_started_at, DROP COLUMN first_response_due_at, DROP COLUMN first_response_warn_at,
      DROP COLUMN resolution_due_at, DROP COLUMN resolution_warn_at, DROP COLUMN sla_paused_since, DROP COLUMN sla_paused_minutes,
      DROP COLUMN sla_first_response_warned, DROP COLUMN sla_resolution_warned, DROP COLUMN sla_first_response_breached, DROP COLUMN sla_resolution_breached`);
    await q.query(`DROP INDEX agents_queues_idx`);
    await q.query(`ALTER TABLE agents DROP COLUMN queues, DROP COLUMN max_open_tickets, DROP COLUMN available, DROP COLUMN last_assigned_at`);
    await q.query(`DROP TABLE known_issues`);
    await q.query(`DROP TABLE triage_rules`);
    await q.query(`DROP FUNCTION helpdesk_unaccent(text)`);
  }
}
