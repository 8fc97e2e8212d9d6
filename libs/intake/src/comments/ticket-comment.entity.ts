import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('ticket_comments')
export class TicketComment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  ticketId: string;

  @Column('text')
  authorKind: 'staff' | 'customer' | 'system';

  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @Column('text')
  body: string;

  /** Internal comments are never shown to customers. */
  @Column('text')
  visibility: 'public' | 'internal';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
