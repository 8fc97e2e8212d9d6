import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { prepared, queryPrepared } from '@helpdesk/database';
import { ContractHoursHooks, ContractHoursLow, EscalationFailed, EscalationFailureHooks } from '@helpdesk/escalation';
import { formatTicketNumber, TicketChange, TicketHooks, TicketRow, TicketsService } from '@helpdesk/intake';
import { FirstResponseBreach, ResolutionBreach, SlaBreachHooks, SlaWarning } from '@helpdesk/triage';
import { notificationMessageId } from '../inbound/thread-reference';
import { ComposedNotification, storeNotification } from './outbound-messages';
import { AssignedFacts, composeStaffNotification, StaffNotification } from './staff-notification-templates';

interface Recipient {
  id: string;
  email: string;
}

/** An agent given a ticket, as their "assigned to you" mail addresses them. */
export interface Assignee extends Recipient {
  /** Their language; null: English, then Spanish. */
  locale: 'es' | 'en' | null;
}

/**
 * The "assigned to you" mail of one assignment, composed: the same event key and Message-ID
 * whoever composes it (the change's hook, or the job that mails triage's own assignments), so one
 * assignment is mailed at most once. The assignment's instant names the event.
 */
export function composeAssignedMail(mailDomain: string, ticketId: string, at: Date, agent: Assignee, facts: AssignedFacts): ComposedNotification {
  const event = `assigned-${at.getTime()}`;
  const { subject, body } = composeStaffNotification({ kind: 'assigned', facts }, agent.locale);
  return {
    eventKey: `${ticketId}:${event}:${agent.email}`,
    kind: 'assigned',
    ticketId,
    recipient: agent.email,
    locale: agent.locale ?? 'en',
    messageId: notificationMessageId(ticketId, `${event}-${agent.id}`, mailDomain),
    inReplyTo: null,
    references: [],
    subject,
    body,
    autoSubmitted: true,
  };
}

/**
 * E-mail to staff. To the partner's managers — active agents with a staff-managing role
 * (admin_agent, global_admin): a ticket's target at risk (SLA warning) or a target (first response, resolution)
 * breached goes to the managers of the ticket's queue (those whose `queues` include it); an
 * escalation failed for good to them too, or to every manager when the queue has none; a paid
 * vendor contract falling under its low-hours threshold goes to every manager (a contract is the
 * partner's, not a queue's). To an agent: a ticket someone else assigned them (in their language,
 * when they chose one; triage's own assignments are mailed by AutoAssignmentMail, outside
 * triage's write). Composed in the transaction that records the event, once per (event,
 * recipient). The managers' mail says it in English, then Spanish.
 */
@Injectable()
export class StaffNotificationsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly tickets: TicketsService,
    private readonly breaches: SlaBreachHooks,
    private readonly contractHours: ContractHoursHooks,
    private readonly ticketHooks: TicketHooks,
    private readonly escalationFailures: EscalationFailureHooks,
  ) {}

  onModuleInit(): void {
    this.breaches.register({
      onResolutionBreach: (manager, breach) => this.resolutionBreached(manager, breach),
      onFirstResponseBreach: (manager, breach) => this.firstResponseBreached(manager, breach),
      onWarning: (manager, warning) => this.slaWarned(manager, warning),
    });
    this.contractHours.register({ onHoursLow: (manager, low) => this.hoursLow(manager, low) });
    this.escalationFailures.register({ onFailed: (manager, failed) => this.escalationFailed(manager, failed) });
    this.ticketHooks.register({
      affects: (change) => assignedTo(change) !== null,
      afterChange: async (manager, change) => {
        await this.assigned(manager, change);
        return false;
      },
    });
  }

  /** A ticket given to an agent by someone else (another agent, a macro, a bulk change, the helpdesk): mailed to that agent. */
  private async assigned(manager: EntityManager, change: TicketChange): Promise<void> {
    const agentId = assignedTo(change);
    if (!agentId) return;
    const [agent] = await queryPrepared<Assignee>(manager, ACTIVE_AGENT, [agentId], IN_TRANSACTION);
    if (!agent) return;
    const [by] = change.actor.kind === 'staff' ? await queryPrepared<{ name: string }>(manager, AGENT_NAME, [change.actor.id], IN_TRANSACTION) : [];
    const ticket = change.after;
    const facts = { number: formatTicketNumber(ticket.number), subject: ticket.subject, priority: ticket.priority, customerName: await customerName(manager, ticket), assignedBy: by?.name ?? null };
    // The change's instant names the event: assigned, taken away and assigned again is told twice.
    await storeNotification(manager, composeAssignedMail(this.config.MAIL_DOMAIN, ticket.id, change.at, agent, facts));
  }

  private async slaWarned(manager: EntityManager, warning: SlaWarning): Promise<void> {
    const queued = await this.queuedTicket(manager, warning.ticketId);
    if (!queued) return;
    const facts = { ...queued.facts, target: warning.target, dueAt: warning.dueAt };
    await this.mail(manager, queued.ticket.id, `sla-warning-${warning.target}`, await managers(manager, queued.facts.queue), { kind: 'sla_warning', facts });
  }

  /** The managers of the ticket's queue; every manager when the ticket has no queue or its queue none. */
  private async escalationFailed(manager: EntityManager, failed: EscalationFailed): Promise<void> {
    const ticket = await this.tickets.findNamed(manager, { ticketId: failed.ticketId });
    if (!ticket) return;
    const ofQueue = ticket.queue ? await managers(manager, ticket.queue) : [];
    const to = ofQueue.length > 0 ? ofQueue : await managers(manager, null);
    const facts = { number: formatTicketNumber(ticket.number), subject: ticket.subject, tier: failed.tier, attempts: failed.attempts, error: failed.error, queue: ofQueue.length > 0 ? ticket.queue : null };
    await this.mail(manager, ticket.id, `escalation-failed-${failed.escalationId}-${failed.round}`, to, { kind: 'escalation_failed', facts });
  }

  private async resolutionBreached(manager: EntityManager, breach: ResolutionBreach): Promise<void> {
    const queued = await this.queuedTicket(manager, breach.ticketId);
    if (!queued) return;
    const { ticket } = queued;
    const facts = { ...queued.facts, target: 'resolution' as const, dueAt: ticket.resolution_due_at ? new Date(ticket.resolution_due_at as string | Date) : null };
    await this.mail(manager, ticket.id, 'sla-breach-resolution', await managers(manager, queued.facts.queue), { kind: 'sla_breach', facts });
  }

  private async firstResponseBreached(manager: EntityManager, breach: FirstResponseBreach): Promise<void> {
    const queued = await this.queuedTicket(manager, breach.ticketId);
    if (!queued) return;
    const facts = { ...queued.facts, target: 'firstResponse' as const, dueAt: breach.dueAt };
    await this.mail(manager, queued.ticket.id, 'sla-breach-first-response', await managers(manager, queued.facts.queue), { kind: 'sla_breach', facts });
  }

  /** A ticket and what the queue managers' SLA mail says of it; null without a queue (no managers to tell). */
  private async queuedTicket(manager: EntityManager, ticketId: string) {
    const ticket = await this.tickets.findNamed(manager, { ticketId });
    if (!ticket?.queue) return null;
    const facts = { number: formatTicketNumber(ticket.number), subject: ticket.subject, priority: ticket.priority, queue: ticket.queue, customerName: await customerName(manager, ticket) };
    return { ticket, facts };
  }

  private async hoursLow(manager: EntityManager, low: ContractHoursLow): Promise<void> {
    const ticket = await this.tickets.findNamed(manager, { ticketId: low.ticketId });
    if (!ticket) return;
    const facts = { number: formatTicketNumber(ticket.number), tier: low.tier, hoursRemaining: low.hoursRemaining, hoursPurchased: low.hoursPurchased };
    await this.mail(manager, ticket.id, `contract-hours-low-${low.escalationId}`, await managers(manager, null), { kind: 'contract_hours_low', facts });
  }

  private async mail(manager: EntityManager, ticketId: string, event: string, to: Recipient[], notification: StaffNotification): Promise<void> {
    const { subject, body } = composeStaffNotification(notification);
    for (const agent of to) {
      await storeNotification(manager, {
        eventKey: `${ticketId}:${event}:${agent.email}`,
        kind: notification.kind,
        ticketId,
        recipient: agent.email,
        locale: 'en',
        messageId: notificationMessageId(ticketId, `${event}-${agent.id}`, this.config.MAIL_DOMAIN),
        inReplyTo: null,
        references: [],
        subject,
        body,
        autoSubmitted: true,
      });
    }
  }
}

/** Active admin_agent / global_admin agents; with a queue, only those who work it. */
function managers(manager: EntityManager, queue: string | null): Promise<Recipient[]> {
  return manager.query(
    `SELECT id, email FROM agents
      WHERE roles && ARRAY['admin_agent', 'global_admin']::text[] AND deactivated_at IS NULL
        AND ($1::text IS NULL OR $1 = ANY(queues))
      ORDER BY email`,
    [queue],
  );
}

/**
 * The reads of an assignment's mail, prepared: each ticket of a bulk change that assigns runs them,
 * and planning them cost more than running them (their columns are named: no plan of them goes
 * stale when a migration adds a column).
 */
const ACTIVE_AGENT = prepared('staff_mail_active_agent', `SELECT id, email, locale FROM agents WHERE id = $1 AND deactivated_at IS NULL`);
const AGENT_NAME = prepared('staff_mail_agent_name', `SELECT name FROM agents WHERE id = $1`);
const CUSTOMER_NAME = prepared('staff_mail_customer_name', `SELECT name FROM customers WHERE id = $1`);
const IN_TRANSACTION = { nameInTransaction: true };

async function customerName(manager: EntityManager, ticket: Pick<TicketRow, 'customer_id'>): Promise<string> {
  const [customer] = await queryPrepared<{ name: string }>(manager, CUSTOMER_NAME, [ticket.customer_id], IN_TRANSACTION);
  return customer?.name ?? '';
}

/** The agent a change gave the ticket to, unless they took it themselves. */
function assignedTo({ before, after, actor }: TicketChange): string | null {
  if (!after.assignee_id || after.assignee_id === before.assignee_id) return null;
  return actor.kind === 'staff' && actor.id === after.assignee_id ? null : after.assignee_id;
}
