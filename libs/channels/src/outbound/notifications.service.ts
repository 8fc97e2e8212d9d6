import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { CommentAdded, CommentHooks, ContactsService, formatTicketNumber, TicketRow } from '@helpdesk/intake';
import { QueueName } from '@helpdesk/queue';
import { notificationMessageId } from '../inbound/thread-reference';
import { composeNotification, MailLocale, NotificationKind } from './notification-templates';

/**
 * E-mail to customers who wrote by e-mail (they hear back on the channel they used): the
 * acknowledgement of a new ticket and each public staff comment. Each is composed and stored with
 * its outbox hand-off in the transaction of the change it tells of, once per event (`event_key`);
 * the `customer-email` job sends it.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly contacts: ContactsService,
    private readonly commentHooks: CommentHooks,
  ) {}

  onModuleInit(): void {
    this.commentHooks.register({ afterAdd: (manager, added) => this.onComment(manager, added) });
  }

  /** The acknowledgement of a ticket made from an e-mail (`Auto-Submitted: auto-replied`). */
  async ticketReceived(manager: EntityManager, ticket: TicketRow): Promise<void> {
    await this.enqueue(manager, ticket, 'ticket_received', `received`, {});
  }

  private async onComment(manager: EntityManager, { ticket, comment, actor }: CommentAdded): Promise<void> {
    if (ticket.channel !== 'email' || comment.visibility !== 'public' || actor.kind !== 'staff') return;
    const [agent]: Array<{ name: string }> = await manager.query(`SELECT name FROM agents WHERE id = $1`, [actor.id]);
    await this.enqueue(manager, ticket, 'public_reply', `comment-${comment.id}`, { reply: comment.body, agentName: agent?.name ?? null });
  }

  private async enqueue(manager: EntityManager, ticket: TicketRow, kind: NotificationKind, event: string, extra: { reply?: string; agentName?: string | null }): Promise<void> {
    const recipient = ticket.requester_email;
    const locale = await this.localeOf(ticket.customer_id, recipient);
    const { subject, body } = composeNotification(kind, locale, {
      number: formatTicketNumber(ticket.number),
      subject: ticket.subject,
      requesterName: ticket.requester_name,
      ...extra,
    });
    const messageId = notificationMessageId(ticket.id, event, this.config.MAIL_DOMAIN);
    const acknowledgement = notificationMessageId(ticket.id, 'received', this.config.MAIL_DOMAIN);
    // The thread: the customer's first message, then our acknowledgement (for a reply).
    const references = [ticket.external_id, kind === 'public_reply' ? acknowledgement : null].filter((id): id is string => !!id && id.startsWith('<'));
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, in_reply_to, "references", subject, body, auto_submitted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
      [`${ticket.id}:${event}:${recipient}`, kind, ticket.id, recipient, locale, messageId, references.at(-1) ?? null, references, subject, body, kind === 'ticket_received'],
    );
    if (rows.length > 0) await this.outbox.enqueue(manager, QueueName.CustomerEmail, rows[0].id, { outboundMessageId: rows[0].id });
  }

  /** The recipient's contact's language; English for a sender who is no contact of the customer. */
  private async localeOf(customerId: string, email: string): Promise<MailLocale> {
    const contacts = await this.contacts.findByEmail(email);
    return contacts.find((c) => c.customerId === customerId)?.locale ?? 'en';
  }
}
