import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';
import { TriageBatchWrite1764000700000 } from './1764000700000-TriageBatchWrite';

/** The `.sql` files of the database functions below, under libs/. */
export const PICK_AGENT_SQL = 'auth/src/pick-agent.sql';
export const TRIAGE_WRITE_SQL = 'intake/src/tickets/triage-write.sql';

/**
 * The database functions now sit in the contexts that own their rules: `pick_agent` (which agent
 * takes a ticket) in auth, which owns `agents`; `triage_write` in intake, which owns `tickets` and
 * `ticket_events`, now calling `pick_agent` instead of a copy of the rule. Same behaviour.
 */
export class TicketWritesByOwner1764001000000 implements MigrationInterface {
  name = 'TicketWritesByOwner1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(contextSql(PICK_AGENT_SQL));
    await q.query(contextSql(TRIAGE_WRITE_SQL));
  }

  async down(q: QueryRunner): Promise<void> {
    // The triage_write the previous migration made, with the rule inside it.
    await q.query(`DROP FUNCTION triage_write(jsonb)`);
    await new TriageBatchWrite1764000700000().up(q);
    await q.query(`DROP FUNCTION pick_agent(text, timestamptz, boolean)`);
  }
}
