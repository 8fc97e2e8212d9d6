import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';
import { TICKET_SEARCH_SQL } from './1764004300000-TicketSearch';

/**
 * Intake, for `q=` with open statuses (#12; bench/README.md, "A search with open statuses by number
 * range"): `open_ticket_statuses`, the open tickets' numbers and statuses (≈ 5 % of the tickets, rows
 * of ≈ 40 bytes), kept by `open_ticket_status_keep` (ticket-search.sql, loaded again) on every ticket
 * insert and status change, in the write's transaction. A search step reads the asked statuses'
 * numbers in its range from here instead of looking up each match's ticket row.
 *
 * No foreign key to `tickets`: tickets are never deleted, and a key would tie the table to the
 * tickets' number index (which the workbench seed drops and builds again). A status change writes a
 * row of ≈ 40 bytes and its two index entries (the key, and (status, number) that a search reads).
 */
export class OpenTicketStatuses1764005950000 implements MigrationInterface {
  name = 'OpenTicketStatuses1764005950000';

  async up(q: QueryRunner): Promise<void> {
    // Vacuumed after 500 changes: a search reads a status's numbers from the index alone only on pages
    // the visibility map marks all-visible, and every status change clears its page's mark (a vacuum
    // of these few hundred narrow pages costs next to nothing; TicketsVacuumedOften for `tickets`).
    await q.query(
      `CREATE TABLE open_ticket_statuses (number bigint PRIMARY KEY, status text NOT NULL)
       WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500, autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 500)`,
    );
    await q.query(contextSql(TICKET_SEARCH_SQL));
    // Locks out status changes while the open tickets are copied, so none is missed in between.
    await q.query(`LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(`INSERT INTO open_ticket_statuses (number, status) SELECT number, status FROM tickets WHERE status NOT IN ('resolved', 'closed')`);
    await q.query(`CREATE TRIGGER open_ticket_status_on_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION open_ticket_status_keep()`);
    await q.query(`CREATE TRIGGER open_ticket_status_on_status AFTER UPDATE OF status ON tickets FOR EACH ROW
                   WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION open_ticket_status_keep()`);
    // A status's numbers in a range, from the index alone once autovacuum has been by (the key serves the triggers).
    await q.query(`CREATE INDEX open_ticket_statuses_status_idx ON open_ticket_statuses (status, number)`);
    await q.query(`ANALYZE open_ticket_statuses`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER open_ticket_status_on_status ON tickets`);
    await q.query(`DROP TRIGGER open_ticket_status_on_insert ON tickets`);
    await q.query(`DROP FUNCTION open_ticket_status_keep()`);
    await q.query(`DROP TABLE open_ticket_statuses`);
  }
}
