import type { TicketStatus } from '@helpdesk/intake';
import type { ViewFilter, ViewSort } from './view-filter';

/** The statuses of work not done yet. */
export const OPEN_STATUSES: TicketStatus[] = ['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated'];

/** "Breaching soon": a running SLA clock falls due within this much business time of the ticket's plan. */
export const BREACHING_SOON_BUSINESS_MINUTES = 120;

export interface BuiltInView {
  id: string;
  names: { en: string; es: string };
  filter: ViewFilter;
  sort: ViewSort;
}

/** The views every agent has; `me` and "my queues" are each agent's own. */
export const BUILT_IN_VIEWS: readonly BuiltInView[] = [
  {
    id: 'my-open',
    names: { en: 'My open tickets', es: 'Mis tickets abiertos' },
    filter: { assigneeId: 'me', status: OPEN_STATUSES },
    sort: 'due',
  },
  {
    id: 'unassigned-in-my-queues',
    names: { en: 'Unassigned in my queues', es: 'Sin asignar en mis colas' },
    filter: { assigneeId: 'none', inMyQueues: true, status: OPEN_STATUSES },
    sort: 'priority',
  },
  {
    id: 'breaching-soon',
    names: { en: 'Breaching within 2 business hours', es: 'Incumplen el SLA en menos de 2 horas laborables' },
    filter: { slaDueWithinBusinessMinutes: BREACHING_SOON_BUSINESS_MINUTES },
    sort: 'due',
  },
  {
    id: 'waiting-on-customer',
    names: { en: 'Waiting on customer', es: 'Esperando al cliente' },
    filter: { status: ['waiting_on_customer'] },
    sort: '-updated',
  },
  {
    id: 'escalated',
    names: { en: 'Escalated to the vendor', es: 'Escalados al fabricante' },
    filter: { status: ['escalated'] },
    sort: '-updated',
  },
];
