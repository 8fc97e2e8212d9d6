import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log of configuration changes (`@helpdesk/audit`). Append-only: a trigger refuses every
 * UPDATE, DELETE and TRUNCATE, so neither a route nor anything else running as the application's
 * database role can change or remove an entry.
 */
export class AuditLog1764004100000 implements MigrationInterface {
  name = 'AuditLog1764004100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'customer', 'system')),
        actor_id uuid,
        request_id text,
        entity text NOT NULL,
        entity_id text NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb
      )`);
    // The filters of GET /audit, each with the keyset order (newest first).
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity, id)`);
    await q.query(`CREATE INDEX audit_log_entity_id_idx ON audit_log (entity_id, id)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id) WHERE actor_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $fn$`);
    await q.query(`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
