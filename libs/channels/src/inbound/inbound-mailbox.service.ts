import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode, FieldErrorCode, ProblemCode } from '@helpdesk/http';
import { CustomersService } from '@helpdesk/intake';
import { QueueName } from '@helpdesk/queue';

export const INBOUND_STATUSES = ['received', 'ticket', 'comment', 'duplicate', 'unmatched', 'auto_reply', 'bounce', 'loop', 'malformed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/** A received message as staff see it (never its raw bytes). */
export interface InboundMessageView {
  id: string;
  source: 'smtp' | 'webhook';
  status: InboundStatus;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  size: number;
  customerId: string | null;
  ticketId: string | null;
  commentId: string | null;
  /** In English. */
  note: string | null;
  /** The note as a code and its values, for a screen to say in its reader's language (null: no note). */
  noteWhy: InboundNoteWhy | null;
  receivedAt: string;
  processedAt: string | null;
}

/** Why a message made no ticket, as a code (`note` says the same in English). */
export type InboundNoteWhy =
  | { code: 'no_customer_match'; params: { sender: string | null } }
  | { code: 'no_sender'; params: Record<string, never> }
  | { code: 'unparseable'; params: { error: string } };

export const INBOUND_NOTE_CODES: readonly InboundNoteWhy['code'][] = Object.freeze(['no_customer_match', 'no_sender', 'unparseable'] as const);

/** The prefix of a malformed message's note: what the parser said follows. */
export const UNPARSEABLE_NOTE_PREFIX = 'not a parseable message: ';
export const NO_SENDER_NOTE = 'no sender address in From';

/**
 * The code of a stored note: the processing writes a note only for an unmatched message (no
 * contact or domain matches its sender) and a malformed one (no sender, or not parseable), so the
 * status (and for a malformed message the note's fixed start) says which.
 */
function noteWhy(r: Pick<Row, 'status' | 'note' | 'from_address'>): InboundNoteWhy | null {
  if (r.note === null) return null;
  if (r.status === 'unmatched') return { code: 'no_customer_match', params: { sender: r.from_address } };
  if (r.status !== 'malformed') return null;
  if (r.note === NO_SENDER_NOTE) return { code: 'no_sender', params: {} };
  return { code: 'unparseable', params: { error: r.note.startsWith(UNPARSEABLE_NOTE_PREFIX) ? r.note.slice(UNPARSEABLE_NOTE_PREFIX.length) : r.note } };
}

interface Row {
  id: string;
  source: 'smtp' | 'webhook';
  status: InboundStatus;
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  size: number;
  customer_id: string | null;
  ticket_id: string | null;
  comment_id: string | null;
  note: string | null;
  received_at: Date;
  processed_at: Date | null;
}

const COLUMNS = `id, source, status, message_id, from_address, subject, size, customer_id, ticket_id, comment_id, note, received_at, processed_at`;

/**
 * What came in by e-mail, for agents: the `unmatched` queue (a sender no contact or domain
 * matches) and the messages that made nothing (auto-replies, bounces, loops, malformed), newest
 * first; and the assignment of an unmatched message to a customer, which makes it a ticket.
 */
@Injectable()
export class InboundMailboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customers: CustomersService,
    private readonly outbox: OutboxService,
  ) {}

  async list(status: InboundStatus, limit = 50): Promise<InboundMessageView[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM inbound_messages WHERE status = $1 ORDER BY received_at DESC, id LIMIT $2`,
      [status, limit],
    );
    return rows.map(toView);
  }

  async get(id: string): Promise<InboundMessageView> {
    const [row]: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM inbound_messages WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('Inbound message', id);
    return toView(row);
  }

  /** An unmatched message is filed for `customerId`: back to `received`, handed to the job again. */
  async assign(id: string, customerId: string): Promise<InboundMessageView> {
    await this.customers.get(customerId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === DomainErrorCode.NotFound) throw DomainError.invalid('customerId', `no customer has the id ${customerId}`, FieldErrorCode.UnknownId);
      throw error;
    });
    const view = await this.dataSource.transaction(async (manager) => {
      const [row]: Row[] = await manager.query(`SELECT ${COLUMNS} FROM inbound_messages WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw DomainError.notFound('Inbound message', id);
      if (row.status !== 'unmatched') {
        throw new DomainError(DomainErrorCode.Conflict, `Only an unmatched message can be assigned; this one is ${row.status}`, {
          inboundStatus: row.status,
          code: ProblemCode.MailNotUnmatched,
          params: { status: row.status },
        });
      }
      await manager.query(`UPDATE inbound_messages SET status = 'received', customer_id = $2, note = NULL, processed_at = NULL WHERE id = $1`, [id, customerId]);
      // Its own job id: the first job of this message may still be kept by BullMQ as completed.
      await this.outbox.enqueue(manager, QueueName.InboundEmail, `${id}-assigned`, { inboundMessageId: id });
      return toView({ ...row, status: 'received', customer_id: customerId, note: null, processed_at: null });
    });
    this.outbox.wakeRelays();
    return view;
  }
}

function toView(r: Row): InboundMessageView {
  return {
    id: r.id,
    source: r.source,
    status: r.status,
    messageId: r.message_id,
    from: r.from_address,
    subject: r.subject,
    size: r.size,
    customerId: r.customer_id,
    ticketId: r.ticket_id,
    commentId: r.comment_id,
    note: r.note,
    noteWhy: noteWhy(r),
    receivedAt: new Date(r.received_at).toISOString(),
    processedAt: r.processed_at ? new Date(r.processed_at).toISOString() : null,
  };
}
