import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '@helpdesk/auth';
import { RECORD_EVENT } from '../tickets/ticket-writes';
import { EventRow, PUBLIC_EVENT_TYPES, publicTimeline, PublicTimelineEntry } from './public-timeline';

/** Kinds of timeline entries; later contexts add theirs (triaged, escalated, sla_breached, …). */
export type TicketEventType =
  | 'created'
  | 'status_changed'
  | 'priority_changed'
  | 'assigned'
  | 'category_changed'
  | 'product_changed'
  | 'commented'
  | 'first_response'
  | (string & {});

export interface TimelineEntry {
  id: string;
  type: TicketEventType;
  /** `name` only on a customer's comment that came with one (an e-mailed reply: the sender contact's name, or the address). */
  actor: Actor & { name?: string };
  data: Record<string, unknown>;
  at: string;
}

/**
 * The name a customer's comment came with (an e-mailed reply's sender), for a timeline row `e`: looked up only for
 * a customer's `commented` event. As a join, PostgreSQL looked up every event's comment by its id and only then
 * dropped those that were not a customer's (4 buffers each: 811 for a ticket of 206 entries, against 11 now).
 */
const CUSTOMER_COMMENT_AUTHOR = `CASE WHEN e.type = 'commented' AND e.actor_kind = 'customer'
  THEN (SELECT c.author_name FROM ticket_comments c WHERE c.id = (e.data->>'commentId')::uuid) END`;

/** Writes and reads ticket timelines. Writing always happens inside the caller's transaction. */
@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(
    manager: EntityManager,
    ticketId: string,
    type: TicketEventType,
    actor: Actor,
    data: Record<string, unknown> = {},
    at?: Date,
  ): Promise<void> {
    await manager.query(RECORD_EVENT, [ticketId, type, actor.kind, actor.id, JSON.stringify(data), at ?? null]);
  }

  /** Oldest first. `types` limits the kinds returned (e.g. what a customer may see). */
  async list(ticketId: string, options: { types?: readonly string[] } = {}): Promise<TimelineEntry[]> {
    const rows: Array<{ id: string; type: string; actor_kind: Actor['kind']; actor_id: string | null; author_name: string | null; data: Record<string, unknown>; at: Date }> =
      await this.dataSource.query(
        `SELECT e.id, e.type, e.actor_kind, e.actor_id, ${CUSTOMER_COMMENT_AUTHOR} AS author_name, e.data, e.at FROM ticket_events e
          WHERE e.ticket_id = $1 AND ($2::text[] IS NULL OR e.type = ANY($2::text[]))
          ORDER BY e.seq`,
        [ticketId, options.types ?? null],
      );
    // A customer's comment that came with a name (an e-mailed reply's sender) says who wrote it.
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      actor: r.author_name ? { kind: r.actor_kind, id: r.actor_id, name: r.author_name } : { kind: r.actor_kind, id: r.actor_id },
      data: r.data,
      at: new Date(r.at).toISOString(),
    }));
  }

  /** The public part of the timeline (public-timeline.ts), oldest first: for the customer and for staff who only read the ticket. */
  async publicList(ticketId: string): Promise<PublicTimelineEntry[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT e.id, e.type, e.actor_kind, coalesce(a.name, ${CUSTOMER_COMMENT_AUTHOR}) AS actor_name, e.data, e.at
         FROM ticket_events e LEFT JOIN agents a ON e.actor_kind = 'staff' AND a.id = e.actor_id
        WHERE e.ticket_id = $1 AND e.type = ANY($2::text[])
        ORDER BY e.seq`,
      [ticketId, PUBLIC_EVENT_TYPES],
    );
    return publicTimeline(rows);
  }
}
