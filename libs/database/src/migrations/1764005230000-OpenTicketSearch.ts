import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';
import { TICKET_SEARCH_SQL } from './1764004300000-TicketSearch';

/**
 * Intake, for searches and counts over open tickets (bench/README.md, "Workbench"):
 * - `ticket_search.open` (set when the search row is made, kept by `ticket_search_on_status` when the
 *   ticket closes or reopens: ticket-search.sql, loaded again) and a partial GIN index of each
 *   document of the open tickets: `q=` with open statuses and a searching view's count read the
 *   matches among open tickets only, instead of walking the matches of every ticket and checking
 *   each one's status;
 * - a partial GIN index of the open tickets' tags: a view of open tickets with a tag ("open
 *   outages", its statuses written so that no status index is ANDed with it: ticket-list-query.ts)
 *   reads the few open tickets with that tag, not a bitmap of every ticket that ever had it.
 * Closing and reopening a ticket rewrite its search row (as a comment does); nothing else changes.
 */
export class OpenTicketSearch1764005230000 implements MigrationInterface {
  name = 'OpenTicketSearch1764005230000';

  async up(q: QueryRunner): Promise<void> {
    // Closed by default while the open rows (the few) are marked; then open, as a new ticket is.
    await q.query(`ALTER TABLE ticket_search ADD COLUMN open boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE ticket_search s SET open = true FROM tickets t WHERE t.id = s.ticket_id AND t.status NOT IN ('resolved', 'closed')`);
    await q.query(`ALTER TABLE ticket_search ALTER COLUMN open SET DEFAULT true`);
    await q.query(contextSql(TICKET_SEARCH_SQL));
    await q.query(`CREATE TRIGGER ticket_search_on_status AFTER UPDATE OF status ON tickets FOR EACH ROW
                   WHEN ((OLD.status IN ('resolved', 'closed')) <> (NEW.status IN ('resolved', 'closed'))) EXECUTE FUNCTION ticket_search_on_status()`);
    await q.query(`CREATE INDEX ticket_search_open_staff_idx ON ticket_search USING gin (staff_doc) WITH (gin_pending_list_limit = 512) WHERE open`);
    await q.query(`CREATE INDEX ticket_search_open_public_idx ON ticket_search USING gin (public_doc) WITH (gin_pending_list_limit = 512) WHERE open`);
    // `tags <> '{}'` keeps PostgreSQL from reading the whole index as a list of open tickets for a
    // query with an open status and no tag (a GIN scan without a key reads every entry).
    await q.query(`CREATE INDEX tickets_open_tags_idx ON tickets USING gin (tags) WHERE status NOT IN ('resolved', 'closed') AND tags <> '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_open_tags_idx`);
    await q.query(`DROP INDEX ticket_search_open_public_idx`);
    await q.query(`DROP INDEX ticket_search_open_staff_idx`);
    await q.query(`DROP TRIGGER ticket_search_on_status ON tickets`);
    await q.query(`DROP FUNCTION ticket_search_on_status()`);
    // The insert trigger's function as migration 1764004300000 made it (without the column).
    await q.query(`
      CREATE OR REPLACE FUNCTION ticket_search_on_ticket()
      RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_doc tsvector;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          v_doc := ticket_search_keys(NEW.number, NEW.customer_id) || ticket_search_doc(NEW.subject, 'A') || ticket_search_doc(NEW.description, 'B');
          INSERT INTO ticket_search (ticket_id, number, customer_id, public_doc, staff_doc)
          VALUES (NEW.id, NEW.number, NEW.customer_id, v_doc, v_doc);
        ELSIF NEW.subject IS DISTINCT FROM OLD.subject OR NEW.description IS DISTINCT FROM OLD.description THEN
          PERFORM ticket_search_rebuild(ARRAY[NEW.id]);
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`ALTER TABLE ticket_search DROP COLUMN open`);
  }
}
