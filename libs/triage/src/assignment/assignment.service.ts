import { Injectable } from '@nestjs/common';
import { queryPrepared } from '@helpdesk/database';
import { ASSIGN_TICKET } from '@helpdesk/intake';
import { AutoAssignmentHooks } from './auto-assignment-hooks';

/**
 * Assignment of a triaged ticket after the batch that triaged it (which assigns most tickets
 * itself): when every eligible agent was busy then, or when a repeated job finds the assignment
 * missing. Who gets the ticket is auth's rule (`pick_agent`); the write is intake's.
 */
@Injectable()
export class AssignmentService {
  constructor(private readonly autoAssignments: AutoAssignmentHooks) {}

  /**
   * One statement (one short transaction): the ticket, if still unassigned, open and in `queue`,
   * goes to the agent `pick_agent` chooses (waiting for one that is busy), with its `assigned`
   * event (and whatever listens to auto-assignments, in its transaction). Returns the agent's id,
   * or null when nobody was assigned.
   */
  async assign(ticketId: string, queue: string, at = new Date()): Promise<string | null> {
    const [row] = await this.autoAssignments.write(
      (manager) => queryPrepared<{ assignee_id: string }>(manager, ASSIGN_TICKET, [ticketId, queue, at]),
      (rows) => rows.map((r) => ({ ticketId, agentId: r.assignee_id, at })),
    );
    return row?.assignee_id ?? null;
  }
}
