import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { StaffRole } from './roles';

export const AGENT_LOCALES = ['es', 'en'] as const;
export type AgentLocale = (typeof AGENT_LOCALES)[number];

/** A member of the partner's staff. */
@Entity('agents')
export class Agent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  /** Stored lower-cased; unique. */
  @Column()
  email: string;

  @Column('text', { array: true })
  roles: StaffRole[];

  /** Triage queues this agent works. */
  @Column('text', { array: true, default: () => "'{}'" })
  queues: string[];

  /** Auto-assignment never gives the agent more open tickets than this. */
  @Column('int', { default: 20 })
  maxOpenTickets: number;

  @Column({ default: true })
  available: boolean;

  /** The language the agent reads the helpdesk's mail in; null: not chosen (staff mail says it in English, then Spanish). */
  @Column({ type: 'text', nullable: true })
  locale: AgentLocale | null;

  /**
   * Open tickets assigned to the agent now, kept by a trigger on `tickets` (migration
   * 1764000500000): read here, never written by this entity.
   */
  @Column({ type: 'int', insert: false, update: false, default: 0 })
  openTickets: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastAssignedAt: Date | null;

  /** Set while the agent is deactivated: no token of theirs works, no ticket may be assigned to them. */
  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
