import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { preparedFirst, queryPrepared } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode, ProblemCode } from '@helpdesk/http';
import { TicketPresenter } from '../tickets/ticket-presenter';
import { CommentHooks } from './comment-hooks';
import { ADD_COMMENT } from '../tickets/ticket-writes';
import { mergedFamilySql } from '../tickets/ticket-merge.service';
import { TicketsService } from '../tickets/tickets.service';
import type { TicketRow } from '../tickets/ticket.view';

/** Who wrote a comment: staff by name (and, for staff readers, by id); customers never see a staff id. */
export interface CommentAuthor {
  kind: 'staff' | 'customer' | 'system';
  id?: string | null;
  name: string | null;
}

export interface CommentView {
  id: string;
  ticketId: string;
  author: CommentAuthor;
  body: string;
  visibility: 'public' | 'internal';
  createdAt: string;
}

export interface NewComment {
  body: string;
  visibility: 'public' | 'internal';
  /**
   * A customer's comment: who wrote it, as the channel it came through knows them (an e-mail's
   * sender contact's name, or the address). Ignored for staff (named by their agent).
   */
  authorName?: string | null;
}

interface CommentRow {
  id: string;
  ticket_id: string;
  author_kind: CommentAuthor['kind'];
  author_id: string | null;
  author_name: string | null;
  body: string;
  visibility: CommentView['visibility'];
  created_at: Date;
}

/** Conversation on a ticket, and the first-response mark it sets. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly presenter: TicketPresenter,
    private readonly hooks: CommentHooks,
  ) {}

  /**
   * A customer comments publicly on their own tickets; staff comment on the tickets they work
   * (billing_admin: billing tickets), and the first public one is the ticket's first response.
   */
  async add(principal: Principal, ticketId: string, input: { body: string; visibility: 'public' | 'internal' }): Promise<CommentView> {
    if (principal.kind === 'customer' && input.visibility !== 'public') {
      throw new DomainError(DomainErrorCode.Forbidden, 'Customers may post public comments only', {
        errors: [{ field: 'visibility', message: 'must be public for a customer', code: FieldErrorCode.PublicOnly }],
      });
    }
    // The ticket's lock and the comment's statement prepared on the connection (planned once, not per reply).
    // Again unprepared when a migration changed `tickets` under this process's prepared statement.
    return preparedFirst((prepare) => this.dataSource.transaction((manager) => this.addInTransaction(manager, principal, ticketId, input, prepare)));
  }

  /**
   * `add` inside the caller's transaction (a channel recording the message it came from, a macro
   * writing its actions, in the same commit). `prepare`: the ticket's lock and the comment's
   * statement prepared on the connection; a caller that sets it runs its transaction again without
   * it on `isStalePlanError`.
   */
  async addInTransaction(manager: EntityManager, principal: Principal, ticketId: string, input: NewComment, prepare = false): Promise<CommentView> {
    const actor = actorOf(principal);
    const ticket = this.tickets.visible(principal, ticketId, await this.tickets.lockedRow(manager, ticketId, prepare));
    const reach = this.presenter.reach(principal, ticket);
    if (reach === 'read') {
      throw new DomainError(DomainErrorCode.Forbidden, `You may read ticket ${ticketId} but not comment on it (only staff who work ${ticket.category ?? 'uncategorised'} tickets may)`);
    }
    if (ticket.status === 'closed') {
      throw new DomainError(DomainErrorCode.Conflict, 'The ticket is closed; open a new ticket instead', { ticketStatus: 'closed', code: ProblemCode.TicketClosed, params: {} });
    }
    const firstResponse = reach === 'work' && input.visibility === 'public' && ticket.first_responded_at === null;
    // The comment, its events and the first-response mark in one statement (ADD_COMMENT), with the staff author's name.
    const [comment] = await queryPrepared<{ id: string; created_at: Date; author_name: string | null }>(
      manager,
      ADD_COMMENT,
      [ticketId, actor.kind, actor.id, input.body, input.visibility, actor.kind === 'customer' ? (input.authorName ?? null) : null, firstResponse],
      { nameInTransaction: prepare },
    );
    const at = new Date(comment.created_at);
    // A customer's reply resumes a ticket that was waiting on them.
    // (Only staff comments touch the ticket row above, so `ticket` is still current here.)
    if (actor.kind === 'customer' && ticket.status === 'waiting_on_customer') {
      await this.tickets.apply(manager, ticket, { status: 'in_progress' }, actor, at);
    }
    const authorName = actor.kind === 'staff' ? comment.author_name : (input.authorName ?? null);
    await this.hooks.afterAdd(manager, {
      ticket,
      comment: { id: comment.id, body: input.body, visibility: input.visibility, createdAt: at },
      actor,
      authorName: actor.kind === 'staff' ? authorName : null,
    });
    return this.view(principal.kind, {
      id: comment.id,
      ticket_id: ticketId,
      author_kind: actor.kind,
      author_id: actor.id,
      author_name: authorName,
      body: input.body,
      visibility: input.visibility,
      created_at: at,
    });
  }

  /**
   * Oldest first, with those of the tickets merged into this one; internal comments only of the
   * tickets (this one or a merged one) the caller works.
   */
  async list(principal: Principal, ticketId: string): Promise<CommentView[]> {
    return this.listOf(principal, await this.tickets.row(principal, ticketId));
  }

  /** As `list`, for a ticket the caller has been allowed to see (TicketsService.row). */
  async listOf(principal: Principal, { id: ticketId }: Pick<TicketRow, 'id'>): Promise<CommentView[]> {
    const family: Array<Pick<TicketRow, 'id' | 'customer_id' | 'category'>> = await this.dataSource.query(
      `${mergedFamilySql('$1')} SELECT t.id, t.customer_id, t.category FROM tickets t WHERE t.id IN (SELECT id FROM family)`,
      [ticketId],
    );
    const worked = family.filter((t) => this.presenter.reach(principal, t) === 'work').map((t) => t.id);
    const rows: CommentRow[] = await this.dataSource.query(
      `SELECT c.id, c.ticket_id, c.author_kind, c.author_id, coalesce(a.name, c.author_name) AS author_name, c.body, c.visibility, c.created_at
         FROM ticket_comments c LEFT JOIN agents a ON c.author_kind = 'staff' AND a.id = c.author_id
        WHERE c.ticket_id = ANY($1::uuid[]) AND (c.visibility = 'public' OR c.ticket_id = ANY($2::uuid[])) ORDER BY c.created_at, c.id`,
      [family.map((t) => t.id), worked],
    );
    return rows.map((r) => this.view(principal.kind, r));
  }

  private view(audience: Principal['kind'], r: CommentRow): CommentView {
    // Staff by their agent's name; a customer by the name their message gave (an e-mail's sender), if any.
    const name = r.author_kind === 'system' ? null : r.author_name;
    return {
      id: r.id,
      ticketId: r.ticket_id,
      author: audience === 'customer' ? { kind: r.author_kind, name } : { kind: r.author_kind, id: r.author_id, name },
      body: r.body,
      visibility: r.visibility,
      createdAt: new Date(r.created_at).toISOString(),
    };
  }
}
