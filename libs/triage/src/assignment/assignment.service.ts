import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '@helpdesk/database';
import { ASSIGN_TICKET } from '@helpdesk/intake';

/**
 * Assignment of a triaged ticket after the batch that triaged it (which assigns most tickets
 * itself): when every eligible agent was busy then, or when a repeated job finds the assignment
 * missing. Who gets the ticket is auth's rule (`pick_agent`); the write is intake's.
 */
@Injectable()
export class AssignmentService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One statement (one short transaction): the ticket, if still unassigned, open and in `queue`,
   * goes to the agent `pick_agent` chooses (waiting for one that is busy), with its `assigned`
   * event. Returns the agent's id, or null when nobody was assigned.
   */
  async assign(ticketId: string, queue: string, at = new Date()): Promise<string | null> {
    const [row] = await queryPrepared<{ assignee_id: string }>(this.dataSource.manager, ASSIGN_TICKET, [ticketId, queue, at]);
    return row?.assignee_id ?? null;
  }
}
