import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { ContractHoursHooks, ContractHoursLow } from '@helpdesk/escalation';
import { formatTicketNumber, TicketsService } from '@helpdesk/intake';
import { ResolutionBreach, SlaBreachHooks } from '@helpdesk/triage';
import { notificationMessageId } from '../inbound/thread-reference';
import { storeNotification } from './outbound-messages';
import { composeStaffNotification, StaffNotification } from './staff-notification-templates';

interface Recipient {
  id: string;
  email: string;
}

/**
 * E-mail to the partner's managers — active agents with a staff-managing role (admin_agent,
 * global_admin): a ticket's resolution target breached goes to the managers of the ticket's queue
 * (those whose `queues` include it); a paid vendor contract falling under its low-hours threshold
 * goes to every manager (a contract is the partner's, not a queue's). Composed in the transaction
 * that records the event, once per (event, manager). Agents have no language of their own, so the
 * mail says it in English, then Spanish.
 */
@Injectable()
export class StaffNotificationsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly tickets: TicketsService,
    private readonly breaches: SlaBreachHooks,
    private readonly contractHours: ContractHoursHooks,
  ) {}

  onModuleInit(): void {
    this.breaches.register({ onResolutionBreach: (manager, breach) => this.resolutionBreached(manager, breach) });
    this.contractHours.register({ onHoursLow: (manager, low) => this.hoursLow(manager, low) });
  }

  private async resolutionBreached(manager: EntityManager, breach: ResolutionBreach): Promise<void> {
    const ticket = await this.tickets.findNamed(manager, { ticketId: breach.ticketId });
    if (!ticket?.queue) return;
    const [customer]: Array<{ name: string }> = await manager.query(`SELECT name FROM customers WHERE id = $1`, [ticket.customer_id]);
    const facts = {
      number: formatTicketNumber(ticket.number),
      subject: ticket.subject,
      priority: ticket.priority,
      queue: ticket.queue,
      customerName: customer?.name ?? '',
      dueAt: ticket.resolution_due_at ? new Date(ticket.resolution_due_at as string | Date) : null,
    };
    await this.mail(manager, ticket.id, 'sla-breach-resolution', await managers(manager, ticket.queue), { kind: 'sla_breach', facts });
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
      await storeNotification(manager, this.outbox, {
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
