import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];
export type ContactMethod = 'email' | 'phone' | 'portal' | 'chat';
export const CONTACT_METHODS: readonly ContactMethod[] = ['email', 'phone', 'portal', 'chat'];

export interface BusinessWindow {
  /** ISO weekday, 1 = Monday. */
  day: number;
  start: string;
  end: string;
}
export interface PlanPrice {
  amount: string;
  currency: string;
  period: 'month' | 'year' | 'incident';
}
export interface PriorityTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}
export type PlanTargets = Record<Priority, PriorityTarget>;

/** The support offering the partner declares to a customer: hours, contact methods, price, targets. */
@Entity('support_plans')
export class SupportPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  /** IANA zone the business hours and holidays are in. */
  @Column()
  timezone: string;

  /** Empty = 24×7. */
  @Column('jsonb')
  businessHours: BusinessWindow[];

  @Column('jsonb')
  holidays: string[];

  @Column('text', { array: true })
  contactMethods: ContactMethod[];

  @Column('jsonb', { nullable: true })
  price: PlanPrice | null;

  @Column('jsonb')
  targets: PlanTargets;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
