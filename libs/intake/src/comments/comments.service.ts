import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { INSERT_COMMENT, MARK_FIRST_RESPONSE } from '../tickets/ticket-writes';
import { mergedFamilySql } from '../tickets/ticket-merge.service';
import { TicketsService } from '../tickets/tickets.service';
import { TimelineService } from '../timeline/timeline.service';

export interface CommentView {
  id: string;
  ticketId: string;
  author: { kind: 'staff' | 'customer' | 'system'; id: string | null };
  body: string;
  visibility: 'public' | 'internal';
  createdAt: string;
}

/** Conversation on a ticket, and the first-response mark it sets. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
  ) {}

  async add(principal: Principal, ticketId: string, input: { body: string; visibility: 'public' | 'internal' }): Promise<CommentView> {
    if (principal.kind === 'customer' && input.visibility !== 'public') {
      throw new DomainError(DomainErrorCode.Forbidden, 'Customers may post public comments only', {
        errors: [{ field: 'visibility', message: 'must be public for a customer' }],
      });
    }
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const ticket = this.tickets.visible(principal, ticketId, await this.tickets.lockedRow(manager, ticketId));
      if (ticket.status === 'closed') {
        throw new DomainError(DomainErrorCode.Conflict, 'The ticket is closed; open a new ticket instead', { ticketStatus: 'closed' });
      }
      const [comment]: Array<{ id: string; created_at: Date }> = await manager.query(INSERT_COMMENT, [
        ticketId,
        actor.kind,
        actor.id,
        input.body,
        input.visibility,
      ]);
      const at = new Date(comment.created_at);
      await this.timeline.record(manager, ticketId, 'commented', actor, { commentId: comment.id, visibility: input.visibility }, at);

      if (actor.kind === 'staff' && input.visibility === 'public' && ticket.first_responded_at === null) {
        await manager.query(MARK_FIRST_RESPONSE, [ticketId, at]);
        await this.timeline.record(manager, ticketId, 'first_response', actor, { commentId: comment.id }, at);
      }
      // A customer's reply resumes a ticket that was waiting on them.
      // (Only staff comments touch the ticket row above, so `ticket` is still current here.)
      if (actor.kind === 'customer' && ticket.status === 'waiting_on_customer') {
        await this.tickets.apply(manager, ticket, { status: 'in_progress' }, actor, at);
      }
      return { id: comment.id, ticketId, author: actor, body: input.body, visibility: input.visibility, createdAt: at.toISOString() };
    });
  }

  /** Oldest first, with those of the tickets merged into this one; customers see public comments only. */
  async list(principal: Principal, ticketId: string): Promise<CommentView[]> {
    await this.tickets.row(principal, ticketId);
    const rows: Array<{ id: string; ticket_id: string; author_kind: CommentView['author']['kind']; author_id: string | null; body: string; visibility: CommentView['visibility']; created_at: Date }> =
      await this.dataSource.query(
        `${mergedFamilySql('$1')}
         SELECT c.id, c.ticket_id, c.author_kind, c.author_id, c.body, c.visibility, c.created_at FROM ticket_comments c
          WHERE c.ticket_id IN (SELECT id FROM family) AND ($2::boolean OR c.visibility = 'public') ORDER BY c.created_at, c.id`,
        [ticketId, principal.kind === 'staff'],
      );
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      author: { kind: r.author_kind, id: r.author_id },
      body: r.body,
      visibility: r.visibility,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
