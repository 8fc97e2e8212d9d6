import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { decodeSignedCursor, encodeSignedCursor, OutboxService, SqlParams } from '@helpdesk/database';
import { DomainError, DomainErrorCode, ProblemCode } from '@helpdesk/http';
import { QueueName } from '@helpdesk/queue';

/**
 * Where an outgoing mail stands: `pending` (waiting or between attempts), `sent` (the receiving
 * server took it), `failed` (every attempt of its last sending failed — NOTIFICATION_ATTEMPTS — and
 * nothing will try again unless an admin retries it).
 */
export const OUTBOUND_STATUSES = ['failed', 'pending', 'sent'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export interface OutboundMessageFilter {
  status?: OutboundStatus;
  ticketId?: string;
  /** Part of the recipient's address, any case. */
  recipient?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export interface OutboundMessageView {
  id: string;
  kind: string;
  ticketId: string | null;
  ticketNumber: number | null;
  recipient: string;
  locale: string;
  subject: string;
  messageId: string;
  status: OutboundStatus;
  attempts: number;
  /** How many times an admin sent it again. */
  retries: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
}

export interface OutboundMessagePage {
  items: OutboundMessageView[];
  nextCursor: string | null;
}

interface OutboundListRow {
  id: string;
  kind: string;
  ticket_id: string | null;
  ticket_number: string | null;
  recipient: string;
  locale: string;
  subject: string;
  message_id: string;
  status: OutboundStatus;
  attempts: number;
  send_round: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  /** created_at at full (microsecond) precision, for the cursor. */
  created_key: string;
}

interface Cursor {
  c: string;
  i: string;
}
const isCursor = (p: unknown): p is Cursor =>
  typeof p === 'object' && p !== null && typeof (p as Cursor).c === 'string' && /^\d{1,20}$/.test((p as Cursor).c) && typeof (p as Cursor).i === 'string' && /^[0-9a-f-]{36}$/.test((p as Cursor).i);

const SELECT = `SELECT m.id, m.kind, m.ticket_id, t.number::text AS ticket_number, m.recipient, m.locale, m.subject, m.message_id, m.status,
       m.attempts, m.send_round, m.last_error, m.created_at, m.sent_at, m.failed_at,
       (extract(epoch FROM m.created_at) * 1000000)::bigint::text AS created_key
  FROM outbound_messages m LEFT JOIN tickets t ON t.id = m.ticket_id`;

/** The BullMQ job id of a sending round: the mail's id first, then `<id>-retry-<round>` (a failed job's id stays taken). */
export const sendingJobId = (id: string, round: number): string => (round === 0 ? id : `${id}-retry-${round}`);

/**
 * An SMTP error as an admin may read it: one line, no credentials of a URL, no stack, at most 300
 * characters. The sender stores the error's message only (nodemailer's: the server's reply or the
 * connection error), but a reply may span lines and a URL may carry a password.
 */
export function safeMailError(text: string | null): string | null {
  if (text === null) return null;
  const line = text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * Outgoing mail for admins (issue #15): the list by status, ticket, recipient and time, and sending
 * a failed one again — through the outbox, with the same Message-ID, audited — once.
 */
@Injectable()
export class OutboundMailAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /** Newest first; keyset paging on (created_at, id). */
  async list(filter: OutboundMessageFilter): Promise<OutboundMessagePage> {
    if (filter.from && filter.to && filter.from >= filter.to) throw DomainError.rangeOrder();
    const where: string[] = [];
    const p = new SqlParams();
    // failed_at is set and cleared with the failed status (same statements): its partial index finds failed mail.
    if (filter.status === 'failed') where.push(`m.status = 'failed' AND m.failed_at IS NOT NULL`);
    else if (filter.status) where.push(`m.status = ${p.add(filter.status)}`);
    if (filter.ticketId) where.push(`m.ticket_id = ${p.add(filter.ticketId, 'uuid')}`);
    if (filter.recipient) where.push(`m.recipient ILIKE ${p.add(`%${filter.recipient.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
    if (filter.from) where.push(`m.created_at >= ${p.add(filter.from)}`);
    if (filter.to) where.push(`m.created_at < ${p.add(filter.to)}`);
    if (filter.cursor) {
      const cursor = decodeSignedCursor(filter.cursor, isCursor);
      where.push(`(m.created_at, m.id) < ('epoch'::timestamptz + ${p.add(cursor.c, 'bigint')} * interval '1 microsecond', ${p.add(cursor.i, 'uuid')})`);
    }
    const limit = filter.limit ?? 50;
    const rows: OutboundListRow[] = await this.dataSource.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.created_at DESC, m.id DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor: rows.length > limit ? encodeSignedCursor({ c: last.created_key, i: last.id } satisfies Cursor) : null,
    };
  }

  async get(id: string): Promise<OutboundMessageView> {
    const [row]: OutboundListRow[] = await this.dataSource.query(`${SELECT} WHERE m.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Outbound message', id);
    return toView(row);
  }

  /**
   * A failed mail is sent again: back to pending, a new sending round handed to the outbox, and an
   * audit entry, in one transaction. The row is locked first, so of two clicks one retries and the
   * other finds it pending (409); a sent mail is never sent again (409).
   */
  async retry(id: string): Promise<OutboundMessageView> {
    await this.dataSource.transaction(async (manager) => {
      const [row]: Array<{ status: OutboundStatus; attempts: number; send_round: number; last_error: string | null; kind: string; recipient: string; message_id: string }> =
        await manager.query(`SELECT status, attempts, send_round, last_error, kind, recipient, message_id FROM outbound_messages WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw DomainError.notFound('Outbound message', id);
      if (row.status !== 'failed') {
        const why = row.status === 'sent' ? 'it was sent already' : 'it is still being sent (pending)';
        throw new DomainError(DomainErrorCode.Conflict, `Only a failed message can be sent again: ${why}`, {
          reason: row.status === 'sent' ? 'already_sent' : 'not_failed',
          status: row.status,
          code: ProblemCode.MailNotFailed,
          params: { status: row.status },
        });
      }
      const round = row.send_round + 1;
      await manager.query(`UPDATE outbound_messages SET status = 'pending', failed_at = NULL, send_round = $2 WHERE id = $1`, [id, round]);
      await this.outbox.enqueue(manager, QueueName.CustomerEmail, sendingJobId(id, round), { outboundMessageId: id });
      const summary = { kind: row.kind, recipient: row.recipient, messageId: row.message_id, attempts: row.attempts };
      await this.audit.record(manager, {
        entity: 'outbound_message',
        entityId: id,
        action: 'retried',
        before: { ...summary, status: 'failed', retries: row.send_round, lastError: safeMailError(row.last_error) },
        after: { ...summary, status: 'pending', retries: round },
      });
    });
    this.outbox.wakeRelays();
    return this.get(id);
  }
}

function toView(r: OutboundListRow): OutboundMessageView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    kind: r.kind,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number === null ? null : Number(r.ticket_number),
    recipient: r.recipient,
    locale: r.locale,
    subject: r.subject,
    messageId: r.message_id,
    status: r.status,
    attempts: Number(r.attempts),
    retries: Number(r.send_round),
    lastError: safeMailError(r.last_error),
    createdAt: new Date(r.created_at).toISOString(),
    sentAt: iso(r.sent_at),
    failedAt: iso(r.failed_at),
  };
}
