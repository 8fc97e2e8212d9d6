import type { Schemas } from '../api/client';
import type { paths } from '../api/schema';

type Ticket = Schemas['TicketResponseDto'];

/**
 * Every value of one of the API's enums, in the order given: the type check fails when a value is
 * missing or unknown (the schema is generated from the API), so these lists cannot drift.
 */
const every =
  <All extends string>() =>
  <const T extends readonly All[]>(values: T & ([Exclude<All, T[number]>] extends [never] ? unknown : { missing: Exclude<All, T[number]> })): T =>
    values;

export const STATUSES = every<Ticket['status']>()(['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated', 'resolved', 'closed']);
export const PRIORITIES = every<Ticket['priority']>()(['P1', 'P2', 'P3', 'P4']);
export const CATEGORIES = every<NonNullable<Ticket['category']>>()(['billing', 'subscription_management', 'technical']);
export const PRODUCTS = every<NonNullable<Ticket['product']>>()(['azure', 'microsoft_365', 'dynamics_365', 'other']);
export const CHANNELS = every<Ticket['channel']>()(['portal', 'email', 'phone', 'api']);
export const TIERS = every<Schemas['EscalationResponseDto']['tier']>()(['commercial', 'premier', 'advanced', 'signature_cloud']);
export const SORTS = every<NonNullable<NonNullable<paths['/api/v1/tickets']['get']['parameters']['query']>['sort']>>()(['-number', '-updated', 'due', 'priority', 'relevance']);
export const CONTACT_METHODS = every<Schemas['SupportPlanResponseDto']['contactMethods'][number]>()(['email', 'phone', 'portal', 'chat']);

/**
 * The statuses an agent may set by hand: a ticket becomes `new` only at intake and `escalated`
 * only through an escalation; the API answers any transition it does not allow with its reason.
 */
export const SETTABLE_STATUSES: readonly Ticket['status'][] = STATUSES.filter((s) => s !== 'new' && s !== 'escalated');
