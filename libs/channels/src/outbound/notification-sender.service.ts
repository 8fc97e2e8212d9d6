import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';

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
  status: 'pending' | 'sent';
}

/**
 * Sends one stored notification through SMTP_URL (nodemailer) and marks it sent. A mail server
 * that is down or refuses it makes the job fail and BullMQ retry (NOTIFICATION_RETRY); every
 * attempt carries the same Message-ID, so a message sent twice (a crash between the server's 250
 * and our mark) is recognisably the same one.
 */
@Injectable()
export class NotificationSender implements OnModuleDestroy {
  private transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** 'sent' now, 'already-sent', or throws (retried). */
  async send(outboundMessageId: string): Promise<'sent' | 'already-sent'> {
    const [row]: OutboundRow[] = await this.dataSource.query(`SELECT * FROM outbound_messages WHERE id = $1`, [outboundMessageId]);
    if (!row) throw new Error(`outbound message ${outboundMessageId} does not exist`);
    if (row.status === 'sent') return 'already-sent';
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set: notifications wait unsent');
    this.transport ??= createTransport(this.config.SMTP_URL);
    try {
      await this.transport.sendMail({
        from: this.config.mailFrom,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        messageId: row.message_id,
        inReplyTo: row.in_reply_to ?? undefined,
        references: row.references,
        headers: {
          // RFC 3834: an answer to the customer's mail is auto-replied; a dunning notice starts on its own.
          ...(row.auto_submitted ? { 'Auto-Submitted': row.kind === 'billing_notice' ? 'auto-generated' : 'auto-replied' } : {}),
          // Marks our own mail, so that it is never taken in again as a customer's (a loop).
          'X-Helpdesk-Notification': row.kind,
        },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.dataSource.query(`UPDATE outbound_messages SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [row.id, reason.slice(0, 500)]);
      throw error;
    }
    await this.dataSource.query(`UPDATE outbound_messages SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = now() WHERE id = $1`, [row.id]);
    return 'sent';
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
