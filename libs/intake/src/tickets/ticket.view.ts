import type { Priority } from '../support-plans/support-plan.entity';
import type { TicketCategory, TicketChannel, TicketProduct, TicketStatus } from './ticket-fields';

/** A ticket's own fields as the API shows them to staff. */
export interface TicketFieldsView {
  id: string;
  number: string;
  customerId: string;
  subject: string;
  description: string;
  category: TicketCategory | null;
  product: TicketProduct | null;
  severity: Priority | null;
  priority: Priority;
  status: TicketStatus;
  channel: TicketChannel;
  /** It came by a channel the customer's plan does not include: kept, and flagged to the agent. */
  channelNotInPlan: boolean;
  requester: { name: string; email: string };
  assigneeId: string | null;
  queue: string | null;
  tags: string[];
  externalId: string | null;
  /** The ticket this one was merged into (it is closed then). */
  mergedInto: string | null;
  /** The customer's invoice this ticket disputes (billing's dispute grace), or null. */
  disputedInvoice: string | null;
  firstRespondedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A ticket as the API shows it. Other contexts (triage, escalation) add their fields through TicketHooks. */
export interface TicketView extends TicketFieldsView {
  [extension: string]: unknown;
}

/** A `tickets` row as PostgreSQL returns it (snake_case). */
export interface TicketRow {
  id: string;
  number: string;
  customer_id: string;
  subject: string;
  description: string;
  category: TicketCategory | null;
  product: TicketProduct | null;
  severity: Priority | null;
  priority: Priority;
  status: TicketStatus;
  channel: TicketChannel;
  channel_not_in_plan?: boolean;
  requester_name: string;
  requester_email: string;
  assignee_id: string | null;
  queue: string | null;
  tags: string[];
  external_id: string | null;
  merged_into?: string | null;
  disputed_invoice: string | null;
  first_responded_at: Date | null;
  created_at: Date;
  updated_at: Date;
  [column: string]: unknown;
}

/** A ticket's number as people see it: `HD-` and at least six digits (HD-000042, HD-1234567). */
export const formatTicketNumber = (n: string | number): string => `HD-${String(n).padStart(6, '0')}`;

/** The same format in SQL, over a `number` column, for statements that build the JSON themselves. */
export const ticketNumberSql = (number: string): string => `'HD-' || lpad(${number}::text, greatest(6, length(${number}::text)), '0')`;

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function ticketViewFromRow(r: TicketRow): TicketView {
  return {
    id: r.id,
    number: formatTicketNumber(r.number),
    customerId: r.customer_id,
    subject: r.subject,
    description: r.description,
    category: r.category,
    product: r.product,
    severity: r.severity,
    priority: r.priority,
    status: r.status,
    channel: r.channel,
    channelNotInPlan: r.channel_not_in_plan ?? false,
    requester: { name: r.requester_name, email: r.requester_email },
    assigneeId: r.assignee_id,
    queue: r.queue,
    tags: r.tags,
    externalId: r.external_id,
    mergedInto: r.merged_into ?? null,
    disputedInvoice: r.disputed_invoice ?? null,
    firstRespondedAt: iso(r.first_responded_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}
