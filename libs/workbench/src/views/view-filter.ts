import type { Priority, TicketCategory, TicketFilter, TicketSort, TicketStatus } from '@helpdesk/intake';
import type { TicketCounterSelection } from '@helpdesk/monitoring';
import { OPEN_STATUSES } from './built-in-views';

/**
 * What a saved view selects, as stored: the filters of GET /tickets (one queue, tags all of them),
 * plus what only makes sense for whoever looks at the view: `assigneeId: 'me'`, `inMyQueues` (the
 * queues the agent works) and `slaDueWithinBusinessMinutes` (a running SLA clock falls due within
 * that much business time of the ticket's own plan).
 */
export interface ViewFilter {
  status?: TicketStatus[];
  customerId?: string;
  queue?: string;
  inMyQueues?: boolean;
  priority?: Priority[];
  /** An agent's id, `me` or `none` (unassigned). */
  assigneeId?: string;
  category?: TicketCategory;
  tags?: string[];
  q?: string;
  slaDueWithinBusinessMinutes?: number;
}

export type ViewSort = TicketSort;

/** Who looks at a view: the filter's `me` and "my queues" are theirs. */
export interface Viewer {
  agentId: string;
  queues: readonly string[];
}

/** The ticket filter a view's filter means for this viewer, now (the SLA horizon is computed by the caller). */
export function ticketFilterFor(filter: ViewFilter, viewer: Viewer, slaDueWithin?: TicketFilter['slaDueWithin']): TicketFilter {
  let queues: string[] | undefined;
  if (filter.inMyQueues) queues = filter.queue === undefined ? [...viewer.queues] : viewer.queues.includes(filter.queue) ? [filter.queue] : [];
  else if (filter.queue !== undefined) queues = [filter.queue];
  return {
    status: filter.status,
    customerId: filter.customerId,
    queues,
    priority: filter.priority,
    assigneeId: filter.assigneeId === undefined ? undefined : filter.assigneeId === 'none' ? null : filter.assigneeId === 'me' ? viewer.agentId : filter.assigneeId,
    category: filter.category,
    tags: filter.tags,
    q: filter.q,
    slaDueWithin,
  };
}

/**
 * The filter as a selection of the queue counters (`TicketCounters`: tickets by queue, status,
 * priority and whether unassigned), or null when it selects by anything else.
 */
export function counterSelection(filter: TicketFilter): TicketCounterSelection | null {
  if (filter.customerId || filter.category || filter.tags?.length || filter.q || filter.slaDueWithin) return null;
  if (filter.assigneeId !== undefined && filter.assigneeId !== null) return null;
  // The counters keep "no queue" as ''; a filter never names it.
  if (filter.queues?.includes('')) return null;
  return {
    statuses: filter.status?.length ? filter.status : undefined,
    queues: filter.queues,
    priorities: filter.priority?.length ? filter.priority : undefined,
    unassigned: filter.assigneeId === null ? true : undefined,
  };
}

/** Whether the filter is exactly the agent's open tickets (what `agents.open_tickets` counts). */
export function isOpenOf(filter: TicketFilter, agentId: string): boolean {
  const { status, assigneeId, ...rest } = filter;
  if (assigneeId !== agentId || !status) return false;
  if (Object.values(rest).some((v) => v !== undefined)) return false;
  const statuses = new Set(status);
  return statuses.size === OPEN_STATUSES.length && OPEN_STATUSES.every((s) => statuses.has(s));
}
