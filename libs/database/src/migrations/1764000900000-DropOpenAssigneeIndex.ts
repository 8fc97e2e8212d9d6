import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tickets_open_assignee_idx` served the count of an agent's open tickets during assignment.
 * Since `agents.open_tickets` is kept by a trigger (migration 1764000500000) nothing reads it,
 * while every write that assigns or moves an open, assigned ticket (triage, escalation, status
 * changes — none of them HOT) still added an entry to it.
 */
export class DropOpenAssigneeIndex1764000900000 implements MigrationInterface {
  name = 'DropOpenAssigneeIndex1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_open_assignee_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS tickets_open_assignee_idx ON tickets (assignee_id)
                   WHERE status NOT IN ('resolved','closed') AND assignee_id IS NOT NULL`);
  }
}
