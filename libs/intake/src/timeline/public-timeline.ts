import type { TicketStatus } from '../tickets/ticket-fields';
import { PUBLIC_STATUS } from '../tickets/ticket-status';
import { formatTicketNumber } from '../tickets/ticket.view';

/** Who did it, as the public timeline names them: staff by name (a customer by the name an e-mailed reply gave), never by id. */
export interface PublicActor {
  kind: 'staff' | 'customer' | 'system';
  name: string | null;
}

export interface PublicTimelineEntry {
  id: string;
  type: 'created' | 'status_changed' | 'commented';
  actor: PublicActor;
  data: Record<string, unknown>;
  at: string;
}

/** The event types the public timeline draws from (a public comment's `commented` only). */
export const PUBLIC_EVENT_TYPES = ['created', 'status_changed', 'commented'] as const;

export interface EventRow {
  id: string;
  type: string;
  actor_kind: PublicActor['kind'];
  actor_name: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/**
 * The public part of a timeline, as a customer sees it: the ticket was created, its status moved
 * (as public statuses: escalated is "escalated_to_vendor", triage's steps are all "open", so a move
 * between two of them is no move), someone commented publicly. Never internal comments, triage
 * data, assignments, priorities, SLA marks or anything about the vendor.
 */
export function publicTimeline(rows: readonly EventRow[]): PublicTimelineEntry[] {
  const entries: PublicTimelineEntry[] = [];
  for (const r of rows) {
    // Staff by name; a customer only on a comment, by the name it came with (an e-mailed reply's sender); nobody by id.
    const name = r.actor_kind === 'staff' || (r.actor_kind === 'customer' && r.type === 'commented') ? r.actor_name : null;
    const base = { id: r.id, actor: { kind: r.actor_kind, name }, at: new Date(r.at).toISOString() };
    if (r.type === 'created') {
      entries.push({ ...base, type: 'created', data: { number: formatTicketNumber(r.data.number as string), channel: r.data.channel } });
    } else if (r.type === 'status_changed') {
      const from = PUBLIC_STATUS[r.data.from as TicketStatus];
      const to = PUBLIC_STATUS[r.data.to as TicketStatus];
      if (to && from !== to) entries.push({ ...base, type: 'status_changed', data: { from: from ?? null, to } });
    } else if (r.type === 'commented' && r.data.visibility === 'public') {
      entries.push({ ...base, type: 'commented', data: { commentId: r.data.commentId } });
    }
  }
  return entries;
}
