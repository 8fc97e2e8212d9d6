import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { OutboxService } from '@helpdesk/database';
import { formatTicketNumber, TicketsService } from '@helpdesk/intake';
import { ResolutionBreach, SlaBreachHooks } from '@helpdesk/triage';
import { notificationMessageId } from '../inbound/thread-reference';
import { storeNotification } from './outbound-messages';
import { composeStaffNotification } from './staff-notification-templates';

/**
 * E-mail to staff about a ticket that needs a manager: its resolution target breached goes to the
 * managers of the ticket's queue — active agents with a staff-managing role (admin_agent,
 * global_admin) who work that queue. Composed in the transaction that records the breach, once per
 * (breach, manager). Agents have no language of their own, so the mail says it in English, then Spanish.
 */
@Injectable()
export class StaffNotificationsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly tickets: TicketsService,
    private readonly breaches: SlaBreachHooks,
  ) {}

  onModuleInit(): void {
    this.breaches.register({ onResolutionBreach: (manager, breach) => this.resolutionBreached(manager, breach) });
  }

  private async resolutionBreached(manager: EntityManager, breach: ResolutionBreach): Promise<void> {
    const ticket = await this.tickets.findNamed(manager, { ticketId: breach.ticketId });
    if (!ticket?.queue) return;
    const managers = await queueManagers(manager, ticket.queue);
    if (managers.length === 0) return;
    const [customer]: Array<{ name: string }> = await manager.query(`SELECT name FROM customers WHERE id = $1`, [ticket.customer_id]);
    const { subject, body } = composeStaffNotification('sla_breach', {
      number: formatTicketNumber(ticket.number),
      subject: ticket.subject,
      priority: ticket.priority,
      queue: ticket.queue,
      customerName: customer?.name ?? '',
      dueAt: ticket.resolution_due_at ? new Date(ticket.resolution_due_at as string | Date) : null,
    });
    for (const agent of managers) {
      await storeNotification(manager, this.outbox, {
        eventKey: `${ticket.id}:sla-breach-resolution:${agent.email}`,
        kind: 'sla_breach',
        ticketId: ticket.id,
        recipient: agent.email,
        locale: 'en',
        messageId: notificationMessageId(ticket.id, `sla-breach-resolution-${agent.id}`, this.config.MAIL_DOMAIN),
        inReplyTo: null,
        references: [],
        subject,
        body,
        autoSubmitted: true,
      });
    }
  }
}

/** The managers of a triage queue: active admin_agent / global_admin agents who work it. */
async function queueManagers(manager: EntityManager, queue: string): Promise<Array<{ id: string; email: string }>> {
  return manager.query(
    `SELECT id, email FROM agents
      WHERE $1 = ANY(queues) AND roles && ARRAY['admin_agent', 'global_admin']::text[] AND deactivated_at IS NULL
      ORDER BY email`,
    [queue],
  );
}
