import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { ParsedMail, simpleParser } from 'mailparser';
import { DataSource, EntityManager } from 'typeorm';
import { MailAttachments } from '@helpdesk/attachments';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { CommentsService, ContactsService, ContactView, CustomersService, TicketIntakeService, TicketsService } from '@helpdesk/intake';
import { LiveEvents } from '@helpdesk/queue';
import { NotificationsService } from '../outbound/notifications.service';
import { InboundMailStore, ReceivedMail } from './inbound-mail-store.service';
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

type CreatedTicket = { id: string; number: string; customerId: string; subject: string; priority: string; channel: string };

const SUBJECT_MAX = 200;
const DESCRIPTION_MAX = 20_000;
/**
 * Messages made what they are inside their SMTP session at once; more arriving meanwhile are stored
 * raw for the `inbound-email` job (a burst then waits in the queue, not in open sessions holding
 * pool connections).
 */
const MAX_RECEIVING_AT_ONCE = 8;

/** A message made what it is on arrival: stored with its outcome, in the transaction of what it made. */
const INSERT_RECEIVED = `INSERT INTO inbound_messages (id, source, envelope_from, envelope_to, raw, size, status, message_id, from_address, subject,
    customer_id, ticket_id, comment_id, note, processed_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())`;

/**
 * Makes a stored inbound message what it is, exactly once: a new ticket (channel `email`,
 * externalId = its Message-ID), a public comment on the ticket it replies to, or nothing (an
 * auto-reply, a bounce, a loop, malformed), or parks it for an agent (`unmatched`). The outcome is
 * written in the same transaction as the ticket or the comment — on the locked message row by the
 * job, as the message's row itself on arrival — so a retried or repeated job changes nothing, and
 * re-deliveries of one Message-ID (by any door) meet on its advisory lock.
 */
@Injectable()
export class InboundMailProcessing {
  private readonly logger = new Logger('InboundMail');
  private receiving = 0;

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
    private readonly store: InboundMailStore,
  ) {}

  /**
   * A message the SMTP listener received: made what it is (a ticket, a comment, nothing, unmatched)
   * in one transaction with its `inbound_messages` row, committed before the sender hears `250` —
   * no raw row written and then updated, no job. When that cannot be done now (too many at once, or
   * it failed), the raw message is stored for the `inbound-email` job instead, as a webhook's is.
   * Either way the id of the stored message; throws only when nothing could be stored (451).
   */
  async receive(mail: ReceivedMail): Promise<string> {
    if (this.receiving < MAX_RECEIVING_AT_ONCE) {
      this.receiving++;
      try {
        return await this.makeOnArrival(mail);
      } catch (error) {
        this.logger.warn(`An inbound message could not be processed on arrival; stored for the inbound-email job: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.receiving--;
      }
    }
    const id = await this.store.store(mail);
    if (!id) throw new Error('the inbound message was not stored');
    return id;
  }

  /** The outcome; null when the message was already processed (or does not exist). */
  async process(inboundMessageId: string): Promise<InboundOutcome | null> {
    let created: CreatedTicket | undefined;
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
    this.afterCommit(created);
    return outcome;
  }

  private async makeOnArrival(mail: ReceivedMail): Promise<string> {
    const id = randomUUID();
    let created: CreatedTicket | undefined;
    await this.dataSource.transaction(async (manager) => {
      const r = await this.decide(manager, mail.raw, null, (ticket) => (created = ticket));
      await manager.query(INSERT_RECEIVED, [
        id, mail.source, mail.envelopeFrom ?? null, mail.envelopeTo ?? [], mail.raw, mail.raw.length, r.status, r.messageId ?? null, r.from ?? null,
        r.subject ?? null, r.customerId ?? null, r.ticketId ?? null, r.commentId ?? null, r.note ?? null,
      ]);
    });
    this.afterCommit(created);
    return id;
  }

  /** After the commit: the relays move the ticket's hand-offs (triage, the acknowledgement) now, and live views hear of it. */
  private afterCommit(created: CreatedTicket | undefined): void {
    if (!created) return;
    this.outbox.wakeRelays();
    this.liveEvents.publish('ticket.created', created);
  }

  private async decide(manager: EntityManager, raw: Buffer, assignedCustomerId: string | null, onCreated: (ticket: CreatedTicket) => void): Promise<Outcome> {
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

    const senderContacts = await this.contacts.findByEmail(sender, manager);
    const customerId = assignedCustomerId ?? (await this.customerOf(manager, sender, senderContacts));
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
    if (row) await this.notifications.ticketReceived(manager, row, senderContacts);
    onCreated({ id, number, customerId, subject: ticketSubject, priority, channel });
    return { ...base, status: 'ticket', customerId, ticketId: id };
  }

  /** The sender's customer: a contact with this address first, then the customer owning its domain. */
  private async customerOf(manager: EntityManager, sender: string, senderContacts: readonly ContactView[]): Promise<string | undefined> {
    const [contact] = senderContacts;
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
