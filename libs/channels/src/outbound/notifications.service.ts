import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { CommentAdded, CommentHooks, ContactView, CustomersService, formatTicketNumber, SupportPlan, SupportPlansService, TicketChange, TicketHooks, TicketRow } from '@helpdesk/intake';
import { notificationMessageId } from '../inbound/thread-reference';
import { MailTemplates } from '../templates/mail-templates.service';
import { composeNotification, MailLocale, NotificationFacts, NotificationKind } from './notification-templates';
import { ComposedNotification, storeNotification, storeNotifications } from './outbound-messages';
import { planSummary } from './plan-summary';
import { ReadsInTransaction } from './reads-in-transaction';

/**
 * E-mail to customers who wrote by e-mail (they hear back on the channel they used): the
 * acknowledgement of a new ticket (with the plan's hours and targets), each public staff comment,
 * and the ticket's status becoming waiting on them or resolved. Each is composed and stored with
 * its outbox hand-off in the transaction of the change it tells of, once per event (`event_key`);
 * the `customer-email` job sends it.
 */
@Injectable()
export class NotificationsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly commentHooks: CommentHooks,
    private readonly ticketHooks: TicketHooks,
    private readonly customers: CustomersService,
    private readonly plans: SupportPlansService,
    private readonly templates: MailTemplates,
  ) {}

  onModuleInit(): void {
    this.commentHooks.register({ afterAdd: (manager, added) => this.onComment(manager, added) });
    this.ticketHooks.register({
      affects: (change) => statusNotice(change) !== null,
      afterChange: async (manager, change) => {
        const kind = statusNotice(change);
        // The change's instant names the event: a ticket resolved, reopened and resolved again is told twice.
        if (kind) await this.enqueue(manager, change.after, kind, `${kind}-${change.at.getTime()}`, {});
        return false;
      },
    });
  }

  /**
   * The acknowledgement of a ticket made from an e-mail (`Auto-Submitted: auto-replied`), with the
   * plan's hours and targets. `requesterContacts`: the contacts with the requester's address, when
   * the caller has just read them (the sender's), so they are not read twice. `reads`: shared by the
   * acknowledgements of a batch of mail in one transaction (each customer's plan, each template read once).
   */
  async ticketReceived(manager: EntityManager, ticket: TicketRow, requesterContacts?: readonly ContactView[], reads = new ReadsInTransaction()): Promise<void> {
    const plan = await this.planOf(manager, ticket.customer_id, reads);
    await this.enqueue(manager, ticket, 'ticket_received', `received`, {}, (locale) => ({ plan: planSummary(plan, ticket.priority, locale) }), requesterContacts, reads);
  }

  private async onComment(manager: EntityManager, { ticket, comment, actor, authorName }: CommentAdded): Promise<void> {
    if (ticket.channel !== 'email' || comment.visibility !== 'public' || actor.kind !== 'staff') return;
    await this.enqueue(manager, ticket, 'public_reply', `comment-${comment.id}`, { reply: comment.body, agentName: authorName });
  }

  /**
   * The acknowledgements of the tickets a batch of mail made in one transaction, in one statement
   * (as `ticketReceived` each): the customers' plans read in one statement (those `reads` has not
   * read yet), each template once.
   */
  async ticketsReceived(manager: EntityManager, made: ReadonlyArray<{ ticket: TicketRow; requesterContacts?: readonly ContactView[] }>, reads = new ReadsInTransaction()): Promise<void> {
    await storeNotifications(manager, await this.composeTicketsReceived(manager, made, reads));
  }

  /** The acknowledgements `ticketsReceived` stores, composed, for a caller that stores them with its own rows (storeNotificationsWith). */
  async composeTicketsReceived(manager: EntityManager, made: ReadonlyArray<{ ticket: TicketRow; requesterContacts?: readonly ContactView[] }>, reads = new ReadsInTransaction()): Promise<ComposedNotification[]> {
    if (made.length === 0) return [];
    const unread = [...new Set(made.map(({ ticket }) => ticket.customer_id))].filter((id) => !reads.has(`plan-of:${id}`));
    if (unread.length > 0) {
      const plans = await this.plans.entitiesOfCustomers(manager, unread);
      for (const id of unread) {
        const plan = plans.get(id);
        // A customer without a plan (not possible today) is read as one alone, which says what is wrong.
        if (plan) void reads.once(`plan-of:${id}`, () => Promise.resolve(plan));
      }
    }
    // Each recipient's language is its contact's (English for one who is none): the templates of those languages in one read.
    const locales = made.map(({ ticket, requesterContacts }) => requesterContacts?.find((c) => c.customerId === ticket.customer_id)?.locale ?? 'en');
    const unreadLocales = [...new Set(locales)].filter((locale) => !reads.has(`template:ticket_received:${locale}`));
    if (unreadLocales.length > 1) {
      const templates = await this.templates.templatesFor(manager, 'ticket_received', unreadLocales);
      for (const [locale, template] of templates) void reads.once(`template:ticket_received:${locale}`, () => Promise.resolve(template));
    }
    const composed: ComposedNotification[] = [];
    for (const { ticket, requesterContacts } of made) {
      const plan = await this.planOf(manager, ticket.customer_id, reads);
      composed.push(await this.compose(manager, ticket, 'ticket_received', 'received', {}, (locale) => ({ plan: planSummary(plan, ticket.priority, locale) }), requesterContacts, reads));
    }
    return composed;
  }

  private planOf(manager: EntityManager, customerId: string, reads: ReadsInTransaction): Promise<SupportPlan> {
    return reads.once(`plan-of:${customerId}`, async () => {
      const customer = await this.customers.viewIn(manager, customerId);
      return this.plans.entity(customer.supportPlanId, manager);
    });
  }

  private async enqueue(
    manager: EntityManager,
    ticket: TicketRow,
    kind: NotificationKind,
    event: string,
    extra: Partial<NotificationFacts>,
    localised: (locale: MailLocale) => Partial<NotificationFacts> = () => ({}),
    recipientContacts?: readonly ContactView[],
    reads = new ReadsInTransaction(),
  ): Promise<void> {
    await storeNotification(manager, await this.compose(manager, ticket, kind, event, extra, localised, recipientContacts, reads));
  }

  private async compose(
    manager: EntityManager,
    ticket: TicketRow,
    kind: NotificationKind,
    event: string,
    extra: Partial<NotificationFacts>,
    localised: (locale: MailLocale) => Partial<NotificationFacts>,
    recipientContacts: readonly ContactView[] | undefined,
    reads: ReadsInTransaction,
  ): Promise<ComposedNotification> {
    const recipient = ticket.requester_email;
    // The recipient's contact's language, English for one who is no contact of the customer; read in
    // the caller's transaction (a second pool connection per notification exhausts the pool under load),
    // together with the kind's wording in both languages when the caller has not read the contacts.
    let contacts: ReadonlyArray<{ customerId: string; locale: MailLocale }>;
    if (recipientContacts) contacts = recipientContacts;
    else {
      const read = await this.templates.recipientAndTemplates(manager, kind, recipient);
      for (const [locale, template] of read.templates) void reads.once(`template:${kind}:${locale}`, () => Promise.resolve(template));
      contacts = read.contacts;
    }
    const locale = contacts.find((c) => c.customerId === ticket.customer_id)?.locale ?? 'en';
    const template = await reads.once(`template:${kind}:${locale}`, () => this.templates.templateFor(manager, kind, locale));
    const { subject, body } = composeNotification(
      kind,
      locale,
      { number: formatTicketNumber(ticket.number), subject: ticket.subject, requesterName: ticket.requester_name, ...extra, ...localised(locale) },
      template,
    );
    const messageId = notificationMessageId(ticket.id, event, this.config.MAIL_DOMAIN);
    const acknowledgement = notificationMessageId(ticket.id, 'received', this.config.MAIL_DOMAIN);
    // The thread: the customer's first message, then our acknowledgement (for a reply).
    const references = [ticket.external_id, kind !== 'ticket_received' ? acknowledgement : null].filter((id): id is string => !!id && id.startsWith('<'));
    return {
      eventKey: `${ticket.id}:${event}:${recipient}`,
      kind,
      ticketId: ticket.id,
      recipient,
      locale,
      messageId,
      inReplyTo: references.at(-1) ?? null,
      references,
      subject,
      body,
      // A person's reply is a person's mail; the rest is sent by the helpdesk on its own (RFC 3834).
      autoSubmitted: kind !== 'public_reply',
    };
  }
}

/**
 * The customer notice a staff (or system) change of an e-mail ticket's status calls for: waiting
 * on them, or resolved. A customer's own change tells them nothing they do not know.
 */
function statusNotice({ before, after, actor }: TicketChange): 'waiting_on_customer' | 'resolved' | null {
  if (after.channel !== 'email' || actor.kind === 'customer' || after.status === before.status) return null;
  return after.status === 'waiting_on_customer' || after.status === 'resolved' ? after.status : null;
}
