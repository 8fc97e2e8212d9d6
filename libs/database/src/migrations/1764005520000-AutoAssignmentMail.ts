import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #15, staff mail:
 * - auth (agents): `locale`, the language an agent reads their mail in (es/en; null: not chosen,
 *   staff mail stays English then Spanish);
 * - channels: `auto_assignment_mail_cursor`, how far the periodic job that mails triage's own
 *   assignments has read `ticket_events` (one row). `settled_seq`: every system `assigned` event at
 *   or below it has been looked at and its transaction has ended; `pending_seq`: the highest such
 *   event seen at `pending_snapshot`, settled once every transaction in progress then has ended
 *   (events committing out of `seq` order are re-read until then). It starts at the newest
 *   event: assignments made before this migration are not mailed;
 * - intake (ticket_events): a partial index of the system's `assigned` events by `seq`, so that the
 *   job reads what it has not settled without scanning the timeline (one small index entry per
 *   ticket triage assigns, no statement added to triage's write);
 * - intake (ticket_comments): `author_name`, the name a comment's author gave outside the helpdesk's
 *   own records (a customer's e-mail: the sender contact's name, else the address).
 */
export class AutoAssignmentMail1764005520000 implements MigrationInterface {
  name = 'AutoAssignmentMail1764005520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents ADD COLUMN locale text CHECK (locale IN ('es', 'en'))`);
    await q.query(
      `CREATE INDEX ticket_events_system_assigned_idx ON ticket_events (seq) WHERE type = 'assigned' AND actor_kind = 'system'`,
    );
    await q.query(`
      CREATE TABLE auto_assignment_mail_cursor (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        settled_seq bigint NOT NULL,
        pending_seq bigint NOT NULL,
        pending_snapshot pg_snapshot NOT NULL,
        pending_at timestamptz NOT NULL
      )`);
    await q.query(`
      INSERT INTO auto_assignment_mail_cursor (settled_seq, pending_seq, pending_snapshot, pending_at)
      SELECT s, s, pg_current_snapshot(), now()
        FROM (SELECT coalesce(max(seq), 0) AS s FROM ticket_events WHERE type = 'assigned' AND actor_kind = 'system') m`);
    await q.query(`ALTER TABLE ticket_comments ADD COLUMN author_name text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_comments DROP COLUMN author_name`);
    await q.query(`DROP TABLE auto_assignment_mail_cursor`);
    await q.query(`DROP INDEX ticket_events_system_assigned_idx`);
    await q.query(`ALTER TABLE agents DROP COLUMN locale`);
  }
}
