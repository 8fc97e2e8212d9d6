import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, Principal } from '@helpdesk/auth';
import { DomainError, DomainErrorCode, FieldErrorCode, ProblemCode } from '@helpdesk/http';
import { CommentsService, CommentView, mergedFamilySql, TicketPresenter, TicketRow, TicketsService } from '@helpdesk/intake';
import { AttachmentRow, AttachmentView, attachmentView } from './attachment.view';
import { AttachmentWriter, NewAttachment } from './attachment-writer';
import { AttachmentStore } from './stores/attachment-store';

export interface UploadInput {
  /** With a body the files come with a new comment; without one they are attached to the ticket. */
  body?: string;
  visibility: 'public' | 'internal';
}

export interface UploadResult {
  comment: CommentView | null;
  attachments: AttachmentView[];
}

/** An attachment to download: its view, the type to label it with, and its bytes. */
export interface OpenedAttachment {
  attachment: AttachmentView;
  content: Readable;
}

const ATTACHMENT_COLUMNS = `a.*, ag.name AS uploader_name`;
const WITH_UPLOADER = `ticket_attachments a LEFT JOIN agents ag ON a.uploader_kind = 'staff' AND ag.id = a.uploader_id`;

/**
 * Attachments of tickets and comments: who may attach (those who may comment: staff who work the
 * ticket, its customer publicly), who sees which (as comments: internal ones only on the tickets
 * the caller works, the tickets merged into this one included), one transaction per upload.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly presenter: TicketPresenter,
    private readonly comments: CommentsService,
    private readonly writer: AttachmentWriter,
    private readonly store: AttachmentStore,
  ) {}

  /** Refuses, before an upload is read, a caller who may not attach to this ticket (404, 403, 409). */
  async assertMayAttach(principal: Principal, ticketId: string, manager: EntityManager = this.dataSource.manager): Promise<TicketRow> {
    const ticket = await this.tickets.row(principal, ticketId, manager);
    if (this.presenter.reach(principal, ticket) === 'read') {
      throw new DomainError(DomainErrorCode.Forbidden, `You may read ticket ${ticketId} but not attach files to it (only staff who work ${ticket.category ?? 'uncategorised'} tickets may)`);
    }
    if (ticket.status === 'closed') throw new DomainError(DomainErrorCode.Conflict, 'The ticket is closed; open a new ticket instead', { ticketStatus: 'closed', code: ProblemCode.TicketClosed, params: {} });
    return ticket;
  }

  /**
   * One transaction: the comment (when there is a body) through intake, every file's row and
   * content, the `attached` event. Nothing is written when any of it fails.
   */
  async upload(principal: Principal, ticketId: string, input: UploadInput, files: NewAttachment[]): Promise<UploadResult> {
    if (principal.kind === 'customer' && input.visibility !== 'public') {
      throw new DomainError(DomainErrorCode.Forbidden, 'Customers may attach public files only', {
        errors: [{ field: 'visibility', message: 'must be public for a customer', code: FieldErrorCode.PublicOnly }],
      });
    }
    const written: string[] = [];
    try {
      const { comment, rows } = await this.dataSource.transaction(async (manager) => {
        let comment: CommentView | null = null;
        if (input.body !== undefined) {
          comment = await this.comments.addInTransaction(manager, principal, ticketId, { body: input.body, visibility: input.visibility });
        } else {
          await this.tickets.lockedRow(manager, ticketId);
          await this.assertMayAttach(principal, ticketId, manager);
        }
        const target = { ticketId, commentId: comment?.id ?? null, visibility: input.visibility };
        return { comment, rows: await this.writer.write(manager, target, actorOf(principal), 'upload', files, written) };
      });
      const names = new Map<string, string | null>();
      if (principal.kind === 'staff') names.set(principal.agentId, comment?.author.name ?? (await this.agentName(principal.agentId)));
      return { comment, attachments: rows.map((r) => attachmentView(principal.kind, { ...r, uploader_name: r.uploader_id ? (names.get(r.uploader_id) ?? null) : null })) };
    } catch (error) {
      await this.store.discard(written);
      throw error;
    }
  }

  /** Oldest first: this ticket's and those of the tickets merged into it that the caller may see. */
  async list(principal: Principal, ticketId: string): Promise<AttachmentView[]> {
    const { ids, worked } = await this.family(principal, ticketId);
    const rows: AttachmentRow[] = await this.dataSource.query(
      `SELECT ${ATTACHMENT_COLUMNS} FROM ${WITH_UPLOADER}
        WHERE a.ticket_id = ANY($1::uuid[]) AND (a.visibility = 'public' OR a.ticket_id = ANY($2::uuid[])) ORDER BY a.created_at, a.id`,
      [ids, worked],
    );
    return rows.map((r) => attachmentView(principal.kind, r));
  }

  /** A stored attachment the caller may see, through this ticket (or one merged into it); 404 otherwise. */
  async open(principal: Principal, ticketId: string, attachmentId: string): Promise<OpenedAttachment> {
    const { ids, worked } = await this.family(principal, ticketId);
    const [row]: AttachmentRow[] = await this.dataSource.query(
      `SELECT ${ATTACHMENT_COLUMNS} FROM ${WITH_UPLOADER}
        WHERE a.id = $1 AND a.ticket_id = ANY($2::uuid[]) AND (a.visibility = 'public' OR a.ticket_id = ANY($3::uuid[]))`,
      [attachmentId, ids, worked],
    );
    if (!row) throw DomainError.notFound('Attachment', attachmentId);
    if (row.status !== 'stored') throw new DomainError(DomainErrorCode.NotFound, `Attachment ${attachmentId} was refused (${row.refused_reason}); there is nothing to download`);
    return { attachment: attachmentView(principal.kind, row), content: await this.store.open(row.id) };
  }

  /** The ticket and those merged into it, and which of them the caller works (sees internal attachments of). */
  private async family(principal: Principal, ticketId: string): Promise<{ ids: string[]; worked: string[] }> {
    await this.tickets.row(principal, ticketId);
    const family: Array<Pick<TicketRow, 'id' | 'customer_id' | 'category'>> = await this.dataSource.query(
      `${mergedFamilySql('$1')} SELECT t.id, t.customer_id, t.category FROM tickets t WHERE t.id IN (SELECT id FROM family)`,
      [ticketId],
    );
    return { ids: family.map((t) => t.id), worked: family.filter((t) => this.presenter.reach(principal, t) === 'work').map((t) => t.id) };
  }

  private async agentName(agentId: string): Promise<string | null> {
    const [agent]: Array<{ name: string }> = await this.dataSource.query(`SELECT name FROM agents WHERE id = $1`, [agentId]);
    return agent?.name ?? null;
  }
}
