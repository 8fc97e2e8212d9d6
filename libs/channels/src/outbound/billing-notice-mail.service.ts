import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NoticeMail, NoticeMails } from '@helpdesk/billing';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { QueueName } from '@helpdesk/queue';
import { oneLine } from './notification-templates';

/** The mail of one dunning notice: the notice's own text (billing's, in the account's language) with a greeting. */
export function composeNoticeMail(notice: NoticeMail): { subject: string; body: string } {
  const name = oneLine(notice.recipient.name, 100);
  return notice.locale === 'es'
    ? { subject: oneLine(notice.subject), body: `Hola, ${name}:\n\n${notice.body}\n\nSi ya ha realizado el pago, ignore este mensaje. Para cualquier duda sobre la factura, responda a este correo.\n` }
    : { subject: oneLine(notice.subject), body: `Hello ${name},\n\n${notice.body}\n\nIf you have already paid, please ignore this message. For any question about the invoice, reply to this e-mail.\n` };
}

/**
 * Billing's dunning notices by e-mail: each notice of a `billing_notices` job becomes one
 * outbound message to the account's billing contact (once per notice and recipient, `event_key`),
 * stored with its hand-off to the `customer-email` queue in one transaction, so a repeated job
 * adds nothing and the sender's exactly-once path does the rest.
 */
@Injectable()
export class BillingNoticeMail {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly notices: NoticeMails,
    private readonly outbox: OutboxService,
  ) {}

  /** How many messages this call stored (0 when every notice was already mailed). */
  async store(noticeIds: readonly string[]): Promise<number> {
    const notices = await this.notices.byIds(noticeIds);
    if (notices.length === 0) return 0;
    const stored = await this.dataSource.transaction(async (manager) => {
      let count = 0;
      for (const notice of notices) {
        const { subject, body } = composeNoticeMail(notice);
        const recipient = notice.recipient.email;
        const rows: Array<{ id: string }> = await manager.query(
          `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, in_reply_to, "references", subject, body, auto_submitted)
           VALUES ($1, 'billing_notice', NULL, $2, $3, $4, NULL, '{}', $5, $6, true) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
          [`notice:${notice.id}:${recipient}`, recipient, notice.locale, `<hd.notice.${notice.id}@${this.config.MAIL_DOMAIN}>`, subject, body],
        );
        if (rows.length === 0) continue;
        await this.outbox.enqueue(manager, QueueName.CustomerEmail, rows[0].id, { outboundMessageId: rows[0].id });
        count++;
      }
      return count;
    });
    if (stored > 0) this.outbox.wakeRelays();
    return stored;
  }
}
