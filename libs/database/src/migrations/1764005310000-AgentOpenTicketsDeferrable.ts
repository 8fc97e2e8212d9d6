import { MigrationInterface, QueryRunner } from 'typeorm';

const WHEN_COUNT_CHANGES = `(OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
                            OR (OLD.status IN ('resolved', 'closed')) <> (NEW.status IN ('resolved', 'closed')))`;

/**
 * Auth (`agents.open_tickets`): the counter's update trigger on `tickets` becomes a constraint
 * trigger, DEFERRABLE INITIALLY IMMEDIATE. Every writer keeps it as before (the counter changes in
 * the statement that changes the ticket, so triage's batch sees each assignment before it picks the
 * next agent); a transaction that reads no counter may `SET CONSTRAINTS tickets_agent_open_update
 * DEFERRED`, and its counter changes then run at its commit. A bulk change does that: its tickets,
 * each in a transaction of its own, all assigned to one agent, then wait on that agent's row only
 * for one another's commit instead of for one another's whole write (bench/README.md, "Bulk").
 * Same function, same condition, same name: only when the counter is written can change.
 */
export class AgentOpenTicketsDeferrable1764005310000 implements MigrationInterface {
  name = 'AgentOpenTicketsDeferrable1764005310000';

  async up(q: QueryRunner): Promise<void> {
    // In one transaction with the drop: writers of tickets wait for this migration's commit, none is missed.
    await q.query(`DROP TRIGGER tickets_agent_open_update ON tickets`);
    await q.query(`CREATE CONSTRAINT TRIGGER tickets_agent_open_update AFTER UPDATE OF assignee_id, status ON tickets
                   DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW
                   WHEN ${WHEN_COUNT_CHANGES}
                   EXECUTE FUNCTION agents_count_open_tickets()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tickets_agent_open_update ON tickets`);
    await q.query(`CREATE TRIGGER tickets_agent_open_update AFTER UPDATE OF assignee_id, status ON tickets FOR EACH ROW
                   WHEN ${WHEN_COUNT_CHANGES}
                   EXECUTE FUNCTION agents_count_open_tickets()`);
  }
}
