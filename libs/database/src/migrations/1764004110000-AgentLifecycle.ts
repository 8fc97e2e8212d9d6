import { MigrationInterface, QueryRunner } from 'typeorm';
import { contextSql } from '../context-sql';
import { PICK_AGENT_SQL } from './1764001000000-TicketWritesByOwner';

/** The condition this migration's pick_agent adds (as pick-agent.sql writes it). */
const ACTIVE_AGENT = /\s+AND a\.deactivated_at IS NULL AND EXISTS \(SELECT FROM api_tokens t WHERE t\.agent_id = a\.id AND t\.revoked_at IS NULL\)/g;

/**
 * Agents can be deactivated (their tokens stop working, nothing is assigned to them); tokens keep
 * their first characters (to tell them apart in a list) and when they were last used; `pick_agent`
 * picks only active agents (not deactivated, holding an unrevoked token).
 */
export class AgentLifecycle1764004110000 implements MigrationInterface {
  name = 'AgentLifecycle1764004110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents ADD COLUMN deactivated_at timestamptz`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN token_prefix text, ADD COLUMN last_used_at timestamptz`);
    // The tokens of an owner (lists; pick_agent's "holds an unrevoked token").
    await q.query(`CREATE INDEX api_tokens_agent_idx ON api_tokens (agent_id) WHERE agent_id IS NOT NULL`);
    await q.query(`CREATE INDEX api_tokens_customer_idx ON api_tokens (customer_id) WHERE customer_id IS NOT NULL`);
    await q.query(contextSql(PICK_AGENT_SQL));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_tokens_customer_idx`);
    await q.query(`DROP INDEX api_tokens_agent_idx`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN last_used_at, DROP COLUMN token_prefix`);
    // pick_agent as it was before: the same file without the "active agent" condition.
    await q.query(contextSql(PICK_AGENT_SQL).replace(ACTIVE_AGENT, ''));
    await q.query(`ALTER TABLE agents DROP COLUMN deactivated_at`);
  }
}
