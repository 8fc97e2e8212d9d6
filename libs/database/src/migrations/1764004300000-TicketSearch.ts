import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';

/** The `.sql` file of the search functions and triggers, under libs/. */
export const TICKET_SEARCH_SQL = 'intake/src/tickets/ticket-search.sql';

/**
 * Full-text search over tickets (GET /tickets?q=…): `ticket_search` holds one row per ticket with
 * a staff and a public document, kept by triggers in the transaction of every write of `tickets`
 * and `ticket_comments` (intake's ticket-search.sql). Its own table, so a new comment rewrites a
 * search row and not the ticket row with its many indexes, and `SELECT *` from tickets never
 * carries documents. Only GIN indexes: the customer and the number ranges are keys inside the
 * documents, so every search is a GIN scan (a btree on the number invites plans that walk it and
 * read a document per row). Measurements: bench/README.md, "Search".
 */
export class TicketSearch1764004300000 implements MigrationInterface {
  name = 'TicketSearch1764004300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    // English and Spanish stemming after unaccent ("sesión" and "sesion" are one word).
    for (const [name, language] of [['helpdesk_en', 'english'], ['helpdesk_es', 'spanish']]) {
      await q.query(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = ${language})`);
      await q.query(`ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, ${language}_stem`);
    }
    await q.query(`
      CREATE TABLE ticket_search (
        ticket_id uuid PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
        number bigint NOT NULL,
        customer_id uuid NOT NULL,
        public_doc tsvector NOT NULL,
        staff_doc tsvector NOT NULL
      )`);
    await q.query(`CREATE INDEX ticket_search_staff_idx ON ticket_search USING gin (staff_doc) WITH (gin_pending_list_limit = 512)`);
    await q.query(`CREATE INDEX ticket_search_public_idx ON ticket_search USING gin (public_doc) WITH (gin_pending_list_limit = 512)`);
    await q.query(contextSql(TICKET_SEARCH_SQL));
    await q.query(`CREATE TRIGGER ticket_search_on_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_search_on_ticket()`);
    await q.query(`CREATE TRIGGER ticket_search_on_text_change AFTER UPDATE OF subject, description ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_search_on_ticket()`);
    await q.query(`CREATE TRIGGER ticket_search_on_insert AFTER INSERT ON ticket_comments FOR EACH ROW EXECUTE FUNCTION ticket_search_on_comment_insert()`);
    await q.query(`CREATE TRIGGER ticket_search_on_change AFTER UPDATE OF ticket_id, body, visibility OR DELETE ON ticket_comments FOR EACH ROW EXECUTE FUNCTION ticket_search_on_comment_change()`);
    // Tickets that existed before this migration.
    await q.query(`SELECT ticket_search_rebuild(ARRAY(SELECT id FROM tickets))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ticket_search_on_change ON ticket_comments`);
    await q.query(`DROP TRIGGER ticket_search_on_insert ON ticket_comments`);
    await q.query(`DROP TRIGGER ticket_search_on_text_change ON tickets`);
    await q.query(`DROP TRIGGER ticket_search_on_insert ON tickets`);
    await q.query(`DROP FUNCTION ticket_search_on_comment_change(), ticket_search_on_comment_insert(), ticket_search_on_ticket(), ticket_search_rebuild(uuid[])`);
    await q.query(`DROP TABLE ticket_search`);
    await q.query(`DROP FUNCTION ticket_search_query(text), ticket_search_keys(bigint, uuid), ticket_search_doc(text, "char")`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION helpdesk_es`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION helpdesk_en`);
  }
}
