import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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

/** One entry of a ticket's timeline, written in the transaction of the change it records. */
@Entity('ticket_events')
export class TicketEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint', insert: false, update: false, select: false })
  seq: string;

  @Column('uuid')
  ticketId: string;

  @Column('text')
  type: TicketEventType;

  @Column('text')
  actorKind: 'staff' | 'customer' | 'system';

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at: Date;
}
