import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { prepared, queryPrepared } from '@helpdesk/database';
import { BatchEntry, eachOfJob, MicroBatcher } from '@helpdesk/queue';

interface OutboundRow {
  id: string;
  kind: string;
  recipient: string;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  subject: string;
  body: string;
  auto_submitted: boolean;
  status: 'pending' | 'sent' | 'failed';
}

/**
 * SMTP connections the worker keeps open to SMTP_URL, and messages sent over one before it is
 * renewed. A connection per message costs the server's greeting each time (smtp-server waits
 * 100 ms for early talkers before it greets; real MTAs do similar checks), which bounds a worker
 * to its job concurrency ÷ that wait. nodemailer's pool keeps them open and sends one message
 * after another (RSET between). SMTP_URL's query overrides either (`?maxConnections=3`), for a
 * relay that allows fewer connections per client.
 */
export const SMTP_POOL = { maxConnections: 8, maxMessages: 1000 } as const;

/**
 * The rows of the jobs in flight are read, and the "sent" marks of the messages the server has just
 * taken written, together: the reads and the marks that arrive at about the same time are one
 * statement (one round trip, one commit) for up to this many. A job still ends only once its own
 * mark has committed.
 */
const ROW_BATCH = { maxBatchSize: 32, maxConcurrentBatches: 2 } as const;

/** A job's turn at the table: read its row, or mark its message sent. */
type RowWork = { read: string } | { sent: string };

/** Once the server has taken them. A sign-in link is a secret: once delivered, the stored copy of it goes. */
const MARK_SENT_SQL = `UPDATE outbound_messages SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = now(),
       body = CASE WHEN kind = 'sign_in_link' THEN '(sign-in link: removed once sent)' ELSE body END
  WHERE id = ANY((SELECT $1::uuid[])::uuid[])`;

// The batch's statements are prepared on each pooled connection, and their ids read through a
// sub-select: every call is then estimated alike whatever the batch's size, so PostgreSQL keeps the
// generic plan after its first five (given the array itself it sized a custom plan to each batch and
// planned every call again).
export const MARK_SENT = prepared('outbound_mark_sent', MARK_SENT_SQL);

export const READ_ROWS = prepared('outbound_read_rows', `SELECT * FROM outbound_messages WHERE id = ANY((SELECT $1::uuid[])::uuid[])`);

/**
 * The marks ($1) and the reads ($2) of one batch in one statement. The UPDATE runs to its end though
 * nothing reads its result (a data-modifying WITH always does), and commits with the statement; the
 * read sees the rows as they were before it (no job reads a row another job of its own is marking:
 * the job id is the row's id).
 */
export const MARK_SENT_AND_READ_ROWS = prepared(
  'outbound_mark_sent_and_read_rows',
  `WITH sent AS (${MARK_SENT_SQL})
  SELECT * FROM outbound_messages WHERE id = ANY((SELECT $2::uuid[])::uuid[])`,
);

/** A failed attempt; the last one ($3) makes a mail not yet sent `failed`. */
const MARK_ATTEMPT_FAILED = `UPDATE outbound_messages SET attempts = attempts + 1, last_error = $2,
       status = CASE WHEN $3 AND status = 'pending' THEN 'failed' ELSE status END,
       failed_at = CASE WHEN $3 AND status = 'pending' THEN now() ELSE failed_at END
  WHERE id = $1`;

/**
 * Sends one stored notification through SMTP_URL (nodemailer, pooled connections) and marks it
 * sent. A mail server that is down or refuses it makes the job fail and BullMQ retry
 * (NOTIFICATION_RETRY); every attempt carries the same Message-ID, so a message sent twice (a
 * crash between the server's 250 and our mark) is recognisably the same one.
 */
@Injectable()
export class NotificationSender implements OnApplicationShutdown {
  private transport?: Transporter;
  private readonly rowWork = new MicroBatcher<RowWork, OutboundRow | undefined>((batch) => this.runRowWork(batch), ROW_BATCH);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * 'sent' now, 'already-sent', or throws (retried). `lastAttempt`: the job has no retry left, so a
   * failure marks the mail `failed` (with its error, in the same statement) for an admin to see and send again.
   */
  async send(outboundMessageId: string, lastAttempt = false): Promise<'sent' | 'already-sent'> {
    const row = await this.rowWork.add({ read: outboundMessageId });
    if (!row) throw new Error(`outbound message ${outboundMessageId} does not exist`);
    if (row.status === 'sent') return 'already-sent';
    try {
      // Without a mail server the attempt is recorded like any other (failed on the last one), for an admin to send again once it is set.
      if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set: notifications wait unsent');
      this.transport ??= createTransport({ url: this.config.SMTP_URL, pool: true, ...SMTP_POOL });
      await this.transport.sendMail({
        from: this.config.mailFrom,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        messageId: row.message_id,
        inReplyTo: row.in_reply_to ?? undefined,
        references: row.references,
        headers: {
          // RFC 3834: an answer to the customer's mail is auto-replied; the rest (status and staff mail, dunning notices, sign-in links) starts on its own.
          ...(row.auto_submitted ? { 'Auto-Submitted': row.kind === 'ticket_received' ? 'auto-replied' : 'auto-generated' } : {}),
          // Marks our own mail, so that it is never taken in again as a customer's (a loop).
          'X-Helpdesk-Notification': row.kind,
        },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.dataSource.query(MARK_ATTEMPT_FAILED, [row.id, reason.slice(0, 500), lastAttempt]);
      throw error;
    }
    await this.rowWork.add({ sent: row.id });
    return 'sent';
  }

  /**
   * Several stored notifications (one job's): each sent as `send` sends it, all at once over the
   * pool (their rows read, and their marks written, together). The ones already `sent` are skipped,
   * so a retry sends only the rest; throws (retried) when any could not be sent, after the others are marked.
   */
  async sendAll(outboundMessageIds: readonly string[], lastAttempt = false): Promise<{ sent: number; alreadySent: number }> {
    const results = await eachOfJob(outboundMessageIds, (id) => this.send(id, lastAttempt), 'notifications not sent');
    const alreadySent = results.filter((r) => r === 'already-sent').length;
    return { sent: outboundMessageIds.length - alreadySent, alreadySent };
  }

  /** The batch's marks and reads, in one statement when it has both. */
  private async runRowWork(batch: Array<BatchEntry<RowWork, OutboundRow | undefined>>): Promise<void> {
    const sent = batch.flatMap(({ item }) => ('sent' in item ? [item.sent] : []));
    const read = batch.flatMap(({ item }) => ('read' in item ? [item.read] : []));
    let rows: OutboundRow[] = [];
    // Outside any transaction: a plan made stale by a migration is answered by an unprepared run (queryPrepared).
    const manager = this.dataSource.manager;
    if (read.length === 0) await queryPrepared(manager, MARK_SENT, [sent]);
    else if (sent.length === 0) rows = await queryPrepared<OutboundRow>(manager, READ_ROWS, [read]);
    else rows = await queryPrepared<OutboundRow>(manager, MARK_SENT_AND_READ_ROWS, [sent, read]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const { item, resolve } of batch) resolve('read' in item ? byId.get(item.read) : undefined);
  }

  /** Not in onModuleDestroy: that runs before BullMQ's workers close (onApplicationShutdown), and closing the pool ends the sends of jobs they are finishing. */
  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
