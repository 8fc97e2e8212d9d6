import { EntityManager } from 'typeorm';
import { OutboxService } from '@helpdesk/database';
import { QueueName } from '@helpdesk/queue';
import type { MailLocale } from './notification-templates';

/** One notification to one recipient, composed: what `outbound_messages` keeps and the sender sends. */
export interface ComposedNotification {
  /** The event and the recipient: unique, so the same event never mails the same person twice. */
  eventKey: string;
  kind: string;
  /** Null for mail about no ticket (a dunning notice). */
  ticketId: string | null;
  recipient: string;
  locale: MailLocale;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  body: string;
  autoSubmitted: boolean;
}

/**
 * Stores a composed notification with its outbox hand-off to the `customer-email` queue, inside the
 * caller's transaction (the change it tells of); false (nothing stored) when that event already mailed that recipient.
 */
export async function storeNotification(manager: EntityManager, outbox: OutboxService, n: ComposedNotification): Promise<boolean> {
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO outbound_messages (event_key, kind, ticket_id, recipient, locale, message_id, in_reply_to, "references", subject, body, auto_submitted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
    [n.eventKey, n.kind, n.ticketId, n.recipient, n.locale, n.messageId, n.inReplyTo, n.references, n.subject, n.body, n.autoSubmitted],
  );
  if (rows.length === 0) return false;
  await outbox.enqueue(manager, QueueName.CustomerEmail, rows[0].id, { outboundMessageId: rows[0].id });
  return true;
}
