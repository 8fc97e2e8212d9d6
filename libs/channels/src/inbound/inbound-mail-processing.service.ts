import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { ParsedMail, simpleParser } from 'mailparser';
import { DataSource, EntityManager } from 'typeorm';
import { MailAttachments } from '@helpdesk/attachments';
import { AppConfig } from '@helpdesk/config';
import { OutboxService, prepared, preparedFirst, PreparedStatement, queryPrepared } from '@helpdesk/database';
import { ChannelTicket, CommentsService, ContactsService, ContactView, CustomersService, formatTicketNumber, TicketIntakeService, TicketRow, TicketsService } from '@helpdesk/intake';
import { BatchEntry, LiveEvents, MicroBatcher } from '@helpdesk/queue';
import { NotificationsService } from '../outbound/notifications.service';
import { ComposedNotification, storeNotifications, storeNotificationsParams, storeNotificationsWith } from '../outbound/outbound-messages';
import { ReadsInTransaction } from '../outbound/reads-in-transaction';
import { InboundMailStore, ReceivedMail } from './inbound-mail-store.service';
import { NO_SENDER_NOTE, UNPARSEABLE_NOTE_PREFIX } from './inbound-mailbox.service';
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
 * Messages in their SMTP sessions waiting to be made what they are on arrival; more arriving
 * meanwhile are stored raw for the `inbound-email` job (a burst then waits in the queue, not in
 * open sessions).
 */
export const MAX_RECEIVING_AT_ONCE = 32;
/**
 * The messages arriving together are made what they are in one transaction (one commit, each
 * shared read once), at most this many in one, one transaction at a time (the one pool connection
 * the listener holds): what arrives while a batch is in the database waits for it and leaves
 * together in the next. A batch's statements do not grow with its size (≈ 9 whatever it holds), so
 * larger batches are fewer statements, round trips and commits a mail (two at once split the same
 * arrivals into two half-size batches: measured again with 8 SMTP connections, 2.4 mails a batch against
 * 3.7, ≈ 40 % more commits, statements and Redis commands a mail). Each sender still hears `250` only after its message's commit.
 */
export const ARRIVAL_BATCH = { maxBatchSize: 16, maxConcurrentBatches: 1 } as const;

/** The columns of a message made what it is on arrival (then `processed_at`, now()). */
const RECEIVED_COLUMNS = 14;
const receivedStatements = new Map<number, PreparedStatement>();

/**
 * The messages of one batch, each stored with its outcome in the transaction of what it made: one
 * statement for all of them, which also stores the acknowledgements of the tickets they made (their
 * three parameters first) when `acknowledging`, handed to the `customer-email` queue as one job. One named statement per size and kind (at most
 * 2 × ARRIVAL_BATCH.maxBatchSize), so a connection plans each once.
 */
function insertReceived(count: number, acknowledging: boolean): PreparedStatement {
  const key = acknowledging ? -count : count;
  let statement = receivedStatements.get(key);
  if (!statement) {
    const first = acknowledging ? 4 : 1;
    const rows = Array.from({ length: count }, (_, row) => `(${Array.from({ length: RECEIVED_COLUMNS }, (_, col) => `$${first + row * RECEIVED_COLUMNS + col}`).join(', ')}, now())`);
    const insert = `INSERT INTO inbound_messages (id, source, envelope_from, envelope_to, raw, size, status, message_id, from_address, subject,
    customer_id, ticket_id, comment_id, note, processed_at) VALUES ${rows.join(', ')}`;
    const sql = acknowledging ? `WITH ${storeNotificationsWith(1, 'one-job')}, r AS (${insert}) SELECT count(*) FROM m` : insert;
    statement = prepared(`inbound_received_${acknowledging ? 'acknowledged' : 'only'}_${count}`, sql);
    receivedStatements.set(key, statement);
  }
  return statement;
}

/**
 * Re-deliveries of one message (SMTP retries, a provider's webhook and our listener) meet on an
 * advisory lock per Message-ID. A transaction taking several takes them in one order (of the lock's
 * key), so two never wait on each other.
 */
const LOCK_MESSAGE_IDS = prepared(
  'inbound_lock_message_ids',
  `SELECT count(pg_advisory_xact_lock(hashtext('inbound-email'), k.h))
  FROM (SELECT DISTINCT hashtext(m) AS h FROM unnest($1::text[]) AS m ORDER BY 1) AS k`,
);

/**
 * What these Message-IDs already made (a ticket or a comment), read after their locks: each by its key
 * (inbound-earlier-outcomes.sql), whatever plan the connection made while `inbound_messages` was small.
 */
export const EARLIER_OUTCOMES = prepared('inbound_earlier_outcomes', `SELECT message_id, ticket_id, customer_id FROM inbound_earlier_outcomes($1::text[])`);

/** A message parsed and classified, before any read: its outcome already (malformed, a loop, …), or what to look up. */
type Parsed = { outcome: Outcome } | { mail: ParsedMail; base: Base };

/** What every message with a sender carries into its outcome. */
type Base = { messageId: string; from: string; subject: string };

/** A message that came in over SMTP, parsed on arrival, waiting for its batch. */
interface Arrival {
  mail: ReceivedMail;
  parsed: Parsed;
}

/** What the messages of one transaction look up together. */
interface Lookups {
  /** Message-ID → what it made before (or earlier in this transaction). */
  earlier: Map<string, { ticket_id: string | null; customer_id: string | null }>;
  /** Sender address → its contacts. */
  contacts: Map<string, ContactView[]>;
  reads: ReadsInTransaction;
}

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
  private readonly arrivals = new MicroBatcher<Arrival, string>((batch) => this.makeOnArrival(batch), ARRIVAL_BATCH);

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
   * in one transaction with its `inbound_messages` row (with the other messages arriving at the same
   * time), committed before the sender hears `250` — no raw row written and then updated, no job.
   * When that cannot be done now (too many at once, or it failed), the raw message is stored for the
   * `inbound-email` job instead, as a webhook's is. Either way the id of the stored message; throws
   * only when nothing could be stored (451).
   */
  async receive(mail: ReceivedMail): Promise<string> {
    if (this.receiving < MAX_RECEIVING_AT_ONCE) {
      this.receiving++;
      try {
        // Parsed while the batches before it are in the database: a batch holds its turn only for its transaction.
        const parsed = await parse(mail.raw, this.config.MAIL_DOMAIN);
        return await this.arrivals.add({ mail, parsed });
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

  /** Messages inside their SMTP sessions being made what they are now (for tests and metrics). */
  get receivingNow(): number {
    return this.receiving;
  }

  /** Parsed messages waiting for their batch, and the batches in the database now (for tests and metrics). */
  get arrivalBatches(): { waiting: number; running: number } {
    return this.arrivals.load;
  }

  /** The outcome; null when the message was already processed (or does not exist). */
  async process(inboundMessageId: string): Promise<InboundOutcome | null> {
    const created: CreatedTicket[] = [];
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [message]: Array<{ raw: Buffer; status: string; customer_id: string | null }> = await manager.query(
        `SELECT raw, status, customer_id FROM inbound_messages WHERE id = $1 FOR UPDATE`,
        [inboundMessageId],
      );
      if (!message || message.status !== 'received') return null;
      const parsed = await parse(message.raw, this.config.MAIL_DOMAIN);
      const {
        outcomes: [result],
        acknowledgements,
      } = await this.decideAll(manager, [parsed], message.customer_id, await this.lookUp(manager, [parsed]), (ticket) => created.push(ticket));
      await storeNotifications(manager, acknowledgements);
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

  /**
   * The messages of one batch, each made what it is and stored with its outcome, in one
   * transaction; each sender is answered once it has committed. A failure rolls all of them back
   * (the batcher then runs each alone, so only the message that fails goes to the job).
   */
  private async makeOnArrival(batch: Array<BatchEntry<Arrival, string>>): Promise<void> {
    const parsed = batch.map((entry) => entry.item.parsed);
    const ids = batch.map(() => randomUUID());
    // The batch's statements are named (parsed and planned once per connection). A migration that
    // changed a table under a named `RETURNING *` rolls the transaction back with a stale-plan
    // error: then the batch runs again with plain statements.
    const attempt = async (prepare: boolean): Promise<CreatedTicket[]> => {
      const created: CreatedTicket[] = [];
      await this.dataSource.transaction(async (manager) => {
        const lookups = await this.lookUp(manager, parsed, prepare);
        const { outcomes, acknowledgements } = await this.decideAll(manager, parsed, null, lookups, (ticket) => created.push(ticket), prepare);
        // The messages' rows and the acknowledgements of the tickets they made: one round trip.
        const values: unknown[] = acknowledgements.length > 0 ? storeNotificationsParams(acknowledgements) : [];
        for (const [i, { item: { mail } }] of batch.entries()) {
          const r = outcomes[i];
          values.push(
            ids[i], mail.source, mail.envelopeFrom ?? null, mail.envelopeTo ?? [], mail.raw, mail.raw.length, r.status, r.messageId ?? null, r.from ?? null,
            r.subject ?? null, r.customerId ?? null, r.ticketId ?? null, r.commentId ?? null, r.note ?? null,
          );
        }
        await queryPrepared(manager, insertReceived(batch.length, acknowledgements.length > 0), values, { nameInTransaction: prepare });
      });
      return created;
    };
    const created = await preparedFirst(attempt, (error) =>
      this.logger.warn(`An arrival batch met a statement planned before a migration; run again unprepared: ${error instanceof Error ? error.message : String(error)}`),
    );
    batch.forEach((entry, i) => entry.resolve(ids[i]));
    this.afterCommit(created);
  }

  /** After the commit: the relays move the tickets' hand-offs (triage, the acknowledgement) now, and live views hear of them. */
  private afterCommit(created: readonly CreatedTicket[]): void {
    if (created.length === 0) return;
    this.outbox.wakeRelays();
    for (const ticket of created) this.liveEvents.publish('ticket.created', ticket);
  }

  /** Locks the Message-IDs of the messages that may make something, then reads what they made before and their senders' contacts. */
  private async lookUp(manager: EntityManager, parsed: readonly Parsed[], prepare = false): Promise<Lookups> {
    const live = parsed.flatMap((p) => ('base' in p ? [p.base] : []));
    const messageIds = [...new Set(live.map((b) => b.messageId))];
    const earlier: Lookups['earlier'] = new Map();
    if (messageIds.length > 0) {
      await queryPrepared(manager, LOCK_MESSAGE_IDS, [messageIds], { nameInTransaction: prepare });
      const rows = await queryPrepared<{ message_id: string; ticket_id: string | null; customer_id: string | null }>(manager, EARLIER_OUTCOMES, [messageIds], { nameInTransaction: prepare });
      for (const row of rows) earlier.set(row.message_id, row);
    }
    const contacts = await this.contacts.findByEmails(live.map((b) => b.from), manager, prepare);
    return { earlier, contacts, reads: new ReadsInTransaction() };
  }

  /**
   * What each message becomes, in their order, in the caller's transaction: replies become comments
   * one by one (rare), the new tickets of all of them are filed in one statement; their
   * acknowledgements are composed for the caller to store (storeNotifications, or with its own rows).
   * A Message-ID seen earlier — before, or earlier in `parsed` — is a duplicate of what it made.
   */
  private async decideAll(
    manager: EntityManager,
    parsed: readonly Parsed[],
    assignedCustomerId: string | null,
    lookups: Lookups,
    onCreated: (ticket: CreatedTicket) => void,
    /** Named statements (the arrival batch; see makeOnArrival). */
    prepare = false,
  ): Promise<{ outcomes: Outcome[]; acknowledgements: ComposedNotification[] }> {
    const outcomes: Outcome[] = [];
    const filing: Array<{ index: number; base: Base; mail: ParsedMail; senderContacts: readonly ContactView[]; ticket: ChannelTicket }> = [];
    /** Message-ID → the index in `filing` of the message that files its ticket in this batch. */
    const filedHere = new Map<string, number>();
    const duplicatesHere: Array<{ index: number; base: Base; filing: number }> = [];
    for (const [index, message] of parsed.entries()) {
      if ('outcome' in message) {
        outcomes[index] = message.outcome;
        continue;
      }
      const { mail, base } = message;
      const { messageId, from: sender, subject } = base;
      const earlier = lookups.earlier.get(messageId);
      if (earlier) {
        outcomes[index] = { ...base, status: 'duplicate', ticketId: earlier.ticket_id ?? undefined, customerId: earlier.customer_id ?? undefined };
        continue;
      }
      const sameHere = filedHere.get(messageId);
      if (sameHere !== undefined) {
        duplicatesHere.push({ index, base, filing: sameHere });
        continue;
      }

      const senderContacts = lookups.contacts.get(sender) ?? [];
      const customerId = assignedCustomerId ?? (await this.customerOf(manager, sender, senderContacts));
      const text = (mail.text ?? '').trim();

      const reference = threadReference({ inReplyTo: mail.inReplyTo, references: asList(mail.references), subject }, this.config.MAIL_DOMAIN);
      const ticket = reference ? await this.tickets.findNamed(manager, reference) : undefined;
      // A reply counts only from the ticket's own customer, on a ticket still open to comments.
      if (ticket && customerId && ticket.customer_id === customerId && ticket.status !== 'closed') {
        // Named as the customer knows the sender: their contact's name, else the address they wrote from.
        const contactName = senderContacts.find((c) => c.customerId === customerId)?.name?.trim();
        const comment = await this.comments.addInTransaction(manager, { kind: 'customer', customerId, tokenId: 'channel:email' }, ticket.id, {
          body: replyText(text).slice(0, DESCRIPTION_MAX) || '(empty reply)',
          visibility: 'public',
          authorName: (contactName || sender).slice(0, 200),
        });
        await this.attachments.keep(manager, { ticketId: ticket.id, commentId: comment.id, visibility: 'public' }, { kind: 'customer', id: customerId }, mail.attachments);
        lookups.earlier.set(messageId, { ticket_id: ticket.id, customer_id: customerId });
        outcomes[index] = { ...base, status: 'comment', customerId, ticketId: ticket.id, commentId: comment.id };
        continue;
      }
      if (!customerId) {
        outcomes[index] = { ...base, status: 'unmatched', note: `no customer contact or domain matches ${sender}` };
        continue;
      }

      const name = mail.from?.value.find((a) => a.address)?.name?.trim();
      filedHere.set(messageId, filing.length);
      filing.push({
        index,
        base,
        mail,
        senderContacts,
        ticket: {
          customerId,
          subject: subject || '(no subject / sin asunto)',
          description: text.slice(0, DESCRIPTION_MAX) || '(empty message / mensaje vacío)',
          channel: 'email',
          requester: { name: (name || sender).slice(0, 200), email: sender },
          externalId: messageId,
        },
      });
    }

    const filed = await this.intake.fileManyInTransaction(manager, filing.map((f) => f.ticket), { prepared: prepare });
    const acknowledge: Array<{ ticket: TicketRow; requesterContacts: readonly ContactView[] }> = [];
    for (const [i, { index, base, mail, senderContacts, ticket: { customerId } }] of filing.entries()) {
      const { created, row } = filed[i];
      lookups.earlier.set(base.messageId, { ticket_id: row.id, customer_id: customerId });
      if (!created) {
        outcomes[index] = { ...base, status: 'duplicate', customerId, ticketId: row.id };
        continue;
      }
      if (mail.attachments.length > 0) await this.attachments.keep(manager, { ticketId: row.id, commentId: null, visibility: 'public' }, { kind: 'customer', id: customerId }, mail.attachments);
      acknowledge.push({ ticket: row, requesterContacts: senderContacts });
      onCreated({ id: row.id, number: formatTicketNumber(row.number), customerId, subject: row.subject, priority: row.priority, channel: row.channel });
      outcomes[index] = { ...base, status: 'ticket', customerId, ticketId: row.id };
    }
    const acknowledgements = await this.notifications.composeTicketsReceived(manager, acknowledge, lookups.reads);
    for (const { index, base, filing: at } of duplicatesHere) {
      const first = outcomes[filing[at].index];
      outcomes[index] = { ...base, status: 'duplicate', customerId: first.customerId, ticketId: first.ticketId };
    }
    return { outcomes, acknowledgements };
  }

  /** The sender's customer: a contact with this address first, then the customer owning its domain. */
  private async customerOf(manager: EntityManager, sender: string, senderContacts: readonly ContactView[]): Promise<string | undefined> {
    const [contact] = senderContacts;
    if (contact) return contact.customerId;
    const customer = await this.customers.findByDomain(sender.slice(sender.lastIndexOf('@') + 1), manager);
    return customer?.id;
  }
}

/** Parses and classifies a raw message: what needs no database (malformed, a loop, an auto-reply, a bounce) is decided here. */
async function parse(raw: Buffer, mailDomain: string): Promise<Parsed> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (error) {
    return { outcome: { status: 'malformed', note: `${UNPARSEABLE_NOTE_PREFIX}${error instanceof Error ? error.message : String(error)}`.slice(0, 500) } };
  }
  // PostgreSQL's text holds no NUL: a hostile `=00` in an encoded subject, name or body would fail the message's every try.
  withoutNul(mail);
  const sender = mail.from?.value.find((a) => a.address)?.address?.trim().toLowerCase();
  const messageId = mail.messageId?.trim() || `<sha256.${createHash('sha256').update(raw).digest('hex')}@no-message-id>`;
  const subject = (mail.subject ?? '').trim().slice(0, SUBJECT_MAX);
  if (!sender || !/^[^@\s]+@[^@\s]+$/.test(sender)) return { outcome: { status: 'malformed', messageId, subject, note: NO_SENDER_NOTE } };
  const base = { messageId, from: sender, subject };
  const refusal = notForTicket(facts(mail, sender, messageId), mailDomain);
  if (refusal) return { outcome: { ...base, status: refusal } };
  return { mail, base };
}

/** Removes NUL characters from what the processing stores as text: the subject, the body, the senders' names. */
function withoutNul(mail: ParsedMail): void {
  const clean = (value: string) => (value.includes('\u0000') ? value.replace(/\u0000/g, '') : value);
  if (mail.subject !== undefined) mail.subject = clean(mail.subject);
  if (mail.text !== undefined) mail.text = clean(mail.text);
  for (const address of mail.from?.value ?? []) if (address.name) address.name = clean(address.name);
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
