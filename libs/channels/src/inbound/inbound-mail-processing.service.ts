import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { ParsedMail, simpleParser } from 'mailparser';
import { DataSource, EntityManager } from 'typeorm';
import { MailAttachments } from '@helpdesk/attachments';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { CommentsService, ContactsService, CustomersService, TicketIntakeService, TicketsService } from '@helpdesk/intake';
import { LiveEvents } from '@helpdesk/queue';
import { NotificationsService } from '../outbound/notifications.service';
import { MailFacts, notForTicket } from './mail-classifier';
import { replyText } from './reply-text';
import { threadReference } from './thread-reference';

/** What a stored inbound message became (`inbound_messages.status`). */
export type InboundOutcome = 'ticket' | 'comment' | 'duplicate' | 'unmatched' | 'auto_reply' | 'bounce' | 'loop' | 'malformed';

interface Outcome {
  status: InboundOutcome;
  messageId?: string;
  from?: string;
  subject?: string;
  customerId?: string;
  ticketId?: string;
  commentId?: string;
  note?: string;
}

const SUBJECT_MAX = 200;
const DESCRIPTION_MAX = 20_000;

/**
 * Makes a stored inbound message what it is, exactly once: a new ticket (channel `email`,
 * externalId = its Message-ID), a public comment on the ticket it replies to, or nothing (an
 * auto-reply, a bounce, a loop, malformed), or parks it for an agent (`unmatched`). The outcome is
 * written in the same transaction as the ticket or the comment, on the locked message row, so a
 * retried or repeated job changes nothing.
 */
@Injectable()
export class InboundMailProcessing {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly intake: TicketIntakeService,
    private readonly tickets: TicketsService,
    private readonly comments: CommentsService,
    private readonly contacts: ContactsService,
    private readonly customers: CustomersService,
    private readonly outbox: OutboxService,
    private readonly liveEvents: LiveEvents,
    private readonly notifications: NotificationsService,
    private readonly attachments: MailAttachments,
  ) {}

  /** The outcome; null when the message was already processed (or does not exist). */
  async process(inboundMessageId: string): Promise<InboundOutcome | null> {
    let created: { id: string; number: string; customerId: string; subject: string; priority: string; channel: string } | undefined;
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [message]: Array<{ raw: Buffer; status: string; customer_id: string | null }> = await manager.query(
        `SELECT raw, status, customer_id FROM inbound_messages WHERE id = $1 FOR UPDATE`,
        [inboundMessageId],
      );
      if (!message || message.status !== 'received') return null;
      const result = await this.decide(manager, message.raw, message.customer_id, (ticket) => (created = ticket));
      await manager.query(
        `UPDATE inbound_messages SET status = $2, message_id = $3, from_address = $4, subject = $5, customer_id = $6, ticket_id = $7,
                comment_id = $8, note = $9, processed_at = now() WHERE id = $1`,
        [inboundMessageId, result.status, result.messageId ?? null, result.from ?? null, result.subject ?? null, result.customerId ?? null,
          result.ticketId ?? null, result.commentId ?? null, result.note ?? null],
      );
      return result.status;
    });
    if (created) {
      this.outbox.wakeRelays();
      this.liveEvents.publish('ticket.created', created);
    }
    return outcome;
  }

  private async decide(
    manager: EntityManager,
    raw: Buffer,
    assignedCustomerId: string | null,
    onCreated: (ticket: { id: string; number: string; customerId: string; subject: string; priority: string; channel: string }) => void,
  ): Promise<Outcome> {
    let mail: ParsedMail;
    try {
      mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    } catch (error) {
      return { status: 'malformed', note: `not a parseable message: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500) };
    }
    const sender = mail.from?.value.find((a) => a.address)?.address?.trim().toLowerCase();
    const messageId = mail.messageId?.trim() || `<sha256.${createHash('sha256').update(raw).digest('hex')}@no-message-id>`;
    const subject = (mail.subject ?? '').trim().slice(0, SUBJECT_MAX);
    if (!sender || !/^[^@\s]+@[^@\s]+$/.test(sender)) return { status: 'malformed', messageId, subject, note: 'no sender address in From' };
    const base = { messageId, from: sender, subject };

    const refusal = notForTicket(facts(mail, sender, messageId), this.config.MAIL_DOMAIN);
    if (refusal) return { ...base, status: refusal };

    // Re-deliveries of one message (SMTP retries, a provider's webhook and our listener) meet here.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('inbound-email'), hashtext($1))`, [messageId]);
    const [earlier]: Array<{ ticket_id: string | null; customer_id: string | null }> = await manager.query(
      `SELECT ticket_id, customer_id FROM inbound_messages WHERE message_id = $1 AND status IN ('ticket', 'comment') LIMIT 1`,
      [messageId],
    );
    if (earlier) return { ...base, status: 'duplicate', ticketId: earlier.ticket_id ?? undefined, customerId: earlier.customer_id ?? undefined };

    const customerId = assignedCustomerId ?? (await this.customerOf(manager, sender));
    const text = (mail.text ?? '').trim();

    const reference = threadReference({ inReplyTo: mail.inReplyTo, references: asList(mail.references), subject }, this.config.MAIL_DOMAIN);
    const ticket = reference ? await this.tickets.findNamed(manager, reference) : undefined;
    // A reply counts only from the ticket's own customer, on a ticket still open to comments.
    if (ticket && customerId && ticket.customer_id === customerId && ticket.status !== 'closed') {
      const comment = await this.comments.addInTransaction(manager, { kind: 'customer', customerId, tokenId: 'channel:email' }, ticket.id, {
        body: replyText(text).slice(0, DESCRIPTION_MAX) || '(empty reply)',
        visibility: 'public',
      });
      await this.attachments.keep(manager, { ticketId: ticket.id, commentId: comment.id, visibility: 'public' }, { kind: 'customer', id: customerId }, mail.attachments);
      return { ...base, status: 'comment', customerId, ticketId: ticket.id, commentId: comment.id };
    }
    if (!customerId) return { ...base, status: 'unmatched', note: `no customer contact or domain matches ${sender}` };

    const name = mail.from?.value.find((a) => a.address)?.name?.trim();
    const result = await this.intake.fileInTransaction(manager, customerId, {
      subject: subject || '(no subject / sin asunto)',
      description: text.slice(0, DESCRIPTION_MAX) || '(empty message / mensaje vacío)',
      channel: 'email',
      requester: { name: (name || sender).slice(0, 200), email: sender },
      externalId: messageId,
    });
    if (!result.created) return { ...base, status: 'duplicate', customerId, ticketId: result.ticket.id };
    const { id, number, subject: ticketSubject, priority, channel } = result.ticket;
    await this.attachments.keep(manager, { ticketId: id, commentId: null, visibility: 'public' }, { kind: 'customer', id: customerId }, mail.attachments);
    const row = await this.tickets.findNamed(manager, { ticketId: id });
    if (row) await this.notifications.ticketReceived(manager, row);
    onCreated({ id, number, customerId, subject: ticketSubject, priority, channel });
    return { ...base, status: 'ticket', customerId, ticketId: id };
  }

  /** The sender's customer: a contact with this address first, then the customer owning its domain. */
  private async customerOf(manager: EntityManager, sender: string): Promise<string | undefined> {
    const [contact] = await this.contacts.findByEmail(sender, manager);
    if (contact) return contact.customerId;
    const customer = await this.customers.findByDomain(sender.slice(sender.lastIndexOf('@') + 1), manager);
    return customer?.id;
  }
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/** The headers of `mail` as the classifier reads them: raw, unfolded. */
function facts(mail: ParsedMail, from: string, messageId: string): MailFacts {
  const lines = new Map<string, string>();
  for (const { key, line } of mail.headerLines) {
    if (!lines.has(key)) lines.set(key, line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return { header: (name) => lines.get(name), from, messageId, contentType: lines.get('content-type') };
}
