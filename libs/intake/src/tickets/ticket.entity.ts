import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Priority } from '../support-plans/support-plan.entity';

export type TicketCategory = 'billing' | 'subscription_management' | 'technical';
export const TICKET_CATEGORIES: readonly TicketCategory[] = ['billing', 'subscription_management', 'technical'];
export type TicketProduct = 'azure' | 'microsoft_365' | 'dynamics_365' | 'other';
export const TICKET_PRODUCTS: readonly TicketProduct[] = ['azure', 'microsoft_365', 'dynamics_365', 'other'];
export type TicketChannel = 'portal' | 'email' | 'phone' | 'api';
export const TICKET_CHANNELS: readonly TicketChannel[] = ['portal', 'email', 'phone', 'api'];
export type TicketStatus = 'new' | 'triaged' | 'in_progress' | 'waiting_on_customer' | 'escalated' | 'resolved' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated', 'resolved', 'closed'];

/** One customer request. Hot paths use SQL on the same table; this maps it for the rest. */
@Entity('tickets')
export class Ticket {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', insert: false, update: false })
  number: string;

  @Column('uuid')
  customerId: string;

  @Column()
  subject: string;

  @Column()
  description: string;

  @Column({ type: 'text', nullable: true })
  category: TicketCategory | null;

  @Column({ type: 'text', nullable: true })
  product: TicketProduct | null;

  /** What the customer said, if anything. */
  @Column({ type: 'text', nullable: true })
  severity: Priority | null;

  @Column({ type: 'text' })
  priority: Priority;

  @Column({ type: 'text' })
  status: TicketStatus;

  @Column({ type: 'text' })
  channel: TicketChannel;

  @Column()
  requesterName: string;

  @Column()
  requesterEmail: string;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'text', nullable: true })
  queue: string | null;

  @Column('text', { array: true })
  tags: string[];

  @Column({ type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstRespondedAt: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
