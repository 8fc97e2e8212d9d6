import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { prepared, queryPrepared } from '@helpdesk/database';

/**
 * The CTEs `fast`, `slow` and `pick` that choose and lock the agent for a ticket, for use inside a
 * statement that first locks the ticket in a CTE named `tk` (so locks are always taken ticket
 * first, agent second, as every other ticket change with its open-ticket trigger does). `pick` has
 * at most one row: the available agent of queue `queueParam` with the fewest open tickets under
 * their cap (ties: assigned longest ago, never-assigned first, then id). `enabled` is an SQL
 * boolean that switches assignment off.
 *
 * Caps hold under any concurrency: `agents.open_tickets` (kept by a trigger on tickets) is checked
 * on the agent's row once it is locked, and PostgreSQL re-checks the condition on the newest row
 * version when another assignment committed meanwhile. An agent locked by a concurrent assignment
 * is skipped for the next best (`fast`); only when every eligible agent is locked does the
 * statement wait for one (`slow`), so assignments of one queue rarely queue behind each other.
 */
export function pickAgentCtes(queueParam: string, enabled = 'true'): string {
  const eligible = `${enabled} AND EXISTS (SELECT FROM tk) AND a.available AND ${queueParam} = ANY (a.queues) AND a.open_tickets < a.max_open_tickets`;
  const order = `ORDER BY a.open_tickets, a.last_assigned_at NULLS FIRST, a.id LIMIT 1`;
  return `
    fast AS (SELECT a.id FROM agents a WHERE ${eligible} ${order} FOR UPDATE SKIP LOCKED),
    slow AS (SELECT a.id FROM agents a WHERE ${eligible} AND NOT EXISTS (SELECT FROM fast) ${order} FOR UPDATE),
    pick AS (SELECT id FROM fast UNION ALL SELECT id FROM slow)`;
}

/** Assigns a triaged ticket nobody holds yet; its `assigned` event in the same statement. */
const ASSIGN_SQL = `
  WITH tk AS (
    SELECT id FROM tickets
     WHERE id = $1 AND assignee_id IS NULL AND status NOT IN ('resolved', 'closed') AND queue = $2
       FOR UPDATE
  ),
  ${pickAgentCtes('$2')},
  upd AS (
    UPDATE tickets t SET assignee_id = pick.id, updated_at = $3 FROM tk, pick WHERE t.id = tk.id
    RETURNING t.id, t.assignee_id
  ),
  agent AS (UPDATE agents a SET last_assigned_at = $3 FROM upd WHERE a.id = upd.assignee_id RETURNING a.id),
  event AS (
    INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
    SELECT upd.id, 'assigned', 'system', NULL, jsonb_build_object('from', NULL, 'to', upd.assignee_id), $3 FROM upd
  )
  SELECT upd.assignee_id FROM upd, agent`;

/** Auto-assignment of triaged tickets to the agents of their queue, within caps. */
@Injectable()
export class AssignmentService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One statement (one short transaction): the ticket, if still unassigned, open and in `queue`,
   * goes to the agent `pickAgentCtes` chooses, with its `assigned` event. Returns the agent's id,
   * or null when nobody was assigned.
   */
  async assign(ticketId: string, queue: string, at = new Date()): Promise<string | null> {
    const [row] = await queryPrepared<{ assignee_id: string }>(this.dataSource.manager, prepared('triage_assign', ASSIGN_SQL), [ticketId, queue, at]);
    return row?.assignee_id ?? null;
  }
}
