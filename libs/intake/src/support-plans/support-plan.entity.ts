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
/** A price in integer minor units (cents; yen) of an ISO 4217 currency, per period. */
export interface PlanPrice {
  amountMinor: number;
  currency: string;
  period: 'month' | 'year' | 'incident';
}
/** The languages the offering is published in. */
export type OfferingLocale = 'es' | 'en';
export const OFFERING_LOCALES: readonly OfferingLocale[] = ['es', 'en'];
/** What the plan covers and what it does not, in one language. */
export interface PlanScope {
  included: string;
  excluded: string;
}
export type PlanScopes = Record<OfferingLocale, PlanScope>;
/** The channels a contact point can be: e-mail address, phone number, portal URL. */
export type ContactPointChannel = 'email' | 'phone' | 'portal';
export const CONTACT_POINT_CHANNELS: readonly ContactPointChannel[] = ['email', 'phone', 'portal'];
/** Where and when a customer reaches the partner: an address and its weekly hours in a time zone. */
export interface ContactPoint {
  channel: ContactPointChannel;
  /** An e-mail address, a phone number in E.164 (+34911234567) or an https URL. */
  address: string;
  timezone: string;
  /** Empty = 24×7. */
  hours: BusinessWindow[];
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

  /** What is in scope and what is not, per locale; null until the partner writes it. */
  @Column('jsonb', { nullable: true })
  scope: PlanScopes | null;

  @Column('jsonb')
  contactPoints: ContactPoint[];

  @Column('jsonb')
  targets: PlanTargets;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
