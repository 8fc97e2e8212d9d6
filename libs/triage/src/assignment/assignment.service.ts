import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Never assigned counts as assigned at the epoch: longest ago. */
const lastAssigned = (c: { last_assigned_at: Date | null }): number => (c.last_assigned_at ? new Date(c.last_assigned_at).getTime() : 0);

interface Candidate {
  id: string;
  open: number;
  max_open_tickets: number;
  last_assigned_at: Date | null;
}

/**
 * Picks the available agent of a queue with the fewest open tickets under their cap (ties: the
 * one assigned longest ago, never-assigned first). The candidates' rows stay locked until the
 * caller's transaction ends, so concurrent triage workers can never push an agent over the cap.
 */
@Injectable()
export class AssignmentService {
  async pickAgent(manager: EntityManager, queue: string, at: Date): Promise<string | null> {
    // Lock the queue's agents first; count their open tickets in a second statement, whose fresh
    // snapshot (READ COMMITTED) sees every assignment committed while this one waited.
    const locked: Array<{ id: string }> = await manager.query(
      `SELECT id FROM agents WHERE available AND $1 = ANY(queues) ORDER BY id FOR UPDATE`,
      [queue],
    );
    if (locked.length === 0) return null;
    const candidates: Candidate[] = await manager.query(
      `SELECT a.id, a.max_open_tickets, a.last_assigned_at,
              (SELECT count(*) FROM tickets t WHERE t.assignee_id = a.id AND t.status NOT IN ('resolved','closed'))::int AS open
         FROM agents a
        WHERE a.id = ANY($1::uuid[])`,
      [locked.map((a) => a.id)],
    );
    const eligible = candidates
      .filter((c) => c.open < c.max_open_tickets)
      .sort(
        (a, b) =>
          a.open - b.open ||
          lastAssigned(a) - lastAssigned(b) ||
          a.id.localeCompare(b.id),
      );
    const chosen = eligible[0];
    if (!chosen) return null;
    await manager.query(`UPDATE agents SET last_assigned_at = $2 WHERE id = $1`, [chosen.id, at]);
    return chosen.id;
  }
}
