import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NoticeMails } from '@helpdesk/billing';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { MailTemplates } from '../templates/mail-templates.service';
import { composeNoticeMail, noticeMailKind } from './billing-notice-compose';
import { storeNotification } from './outbound-messages';

/**
 * Billing's notices by e-mail (reminders, final notices, suspensions and their end): each notice
 * of a `billing_notices` job becomes one outbound message to the account's billing contact (once per notice and recipient, `event_key`),
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
    private readonly templates: MailTemplates,
  ) {}

  /** How many messages this call stored (0 when every notice was already mailed). */
  async store(noticeIds: readonly string[]): Promise<number> {
    const notices = await this.notices.byIds(noticeIds);
    if (notices.length === 0) return 0;
    const stored = await this.dataSource.transaction(async (manager) => {
      let count = 0;
      for (const notice of notices) {
        const kind = noticeMailKind(notice);
        const { subject, body } = composeNoticeMail(notice, await this.templates.templateFor(manager, kind, notice.locale));
        const recipient = notice.recipient.email;
        // A restoration answers the suspension's mail: the customer's mail client shows them together.
        const thread = notice.repliesTo ? `<hd.notice.${notice.repliesTo}@${this.config.MAIL_DOMAIN}>` : null;
        const isNew = await storeNotification(manager, {
          eventKey: `notice:${notice.id}:${recipient}`,
          kind,
          ticketId: null,
          recipient,
          locale: notice.locale,
          messageId: `<hd.notice.${notice.id}@${this.config.MAIL_DOMAIN}>`,
          inReplyTo: thread,
          references: thread ? [thread] : [],
          subject,
          body,
          autoSubmitted: true,
        });
        if (isNew) count++;
      }
      return count;
    });
    if (stored > 0) this.outbox.wakeRelays();
    return stored;
  }
}
