import { instantView } from '@helpdesk/database';
import type { Priority } from '../support-plans/support-plan.entity';
import type { TicketCategory, TicketChannel, TicketProduct, TicketStatus } from './ticket-fields';

/** A ticket's own fields as the API shows them to staff, in a list as on its own (not its text: see below). */
export interface TicketItemFieldsView {
  id: string;
  number: string;
  customerId: string;
  subject: string;
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

/** A ticket's fields as the API shows one ticket: with its whole description. */
export interface TicketFieldsView extends TicketItemFieldsView {
  description: string;
}

/** A ticket's fields as a list shows them: a short excerpt of the description instead of all of it (ticketExcerpt). */
export interface TicketListItemFieldsView extends TicketItemFieldsView {
  excerpt: string;
}

/** A ticket as the API shows it. Other contexts (triage, escalation) add their fields through TicketHooks. */
export interface TicketView extends TicketFieldsView {
  [extension: string]: unknown;
}

/** A ticket in a list (GET /tickets, a view's tickets), with the same additions from other contexts. */
export interface TicketListItemView extends TicketListItemFieldsView {
  [extension: string]: unknown;
}

/** Either view: what TicketHooks add their fields to. */
export type AnyTicketView = TicketView | TicketListItemView;

/**
 * The columns of a `tickets` row every view reads (PostgreSQL's snake_case); hooks read more of
 * them (TicketHook.viewColumns). Not the description, which a list does not read whole.
 */
export interface TicketColumns {
  id: string;
  number: string;
  customer_id: string;
  subject: string;
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
  /** A Date, or in a list's rows the ISO text (TicketFinder reads a page's instants as timestamptzText). */
  first_responded_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  [column: string]: unknown;
}

/** A whole `tickets` row as PostgreSQL returns it (snake_case). */
export interface TicketRow extends TicketColumns {
  description: string;
}

/**
 * A ticket as a list reads it (ticket-list-query.ts: the columns its views read, the start of the
 * description), with the excerpt TicketFinder made of that start.
 */
export interface TicketListRow extends TicketColumns {
  excerpt: string;
}

/** The columns of `tickets` intake's own views read (TicketColumns), as a list selects them; the description apart. */
export const VIEW_COLUMNS: readonly string[] = [
  'id',
  'number',
  'customer_id',
  'subject',
  'category',
  'product',
  'severity',
  'priority',
  'status',
  'channel',
  'channel_not_in_plan',
  'requester_name',
  'requester_email',
  'assignee_id',
  'queue',
  'tags',
  'external_id',
  'merged_into',
  'disputed_invoice',
  'first_responded_at',
  'created_at',
  'updated_at',
];

/** How long a list item's excerpt is at most, in characters (Unicode code points). */
export const EXCERPT_CHARACTERS = 160;

/** Whitespace as JavaScript's `\s` has it (Unicode White_Space and the BOM): runs of it become one space. */
const WHITESPACE_RUNS = /\s+/g;
/** What collapsing would change: whitespace other than a space, or two spaces. */
const NEEDS_COLLAPSING = /[^\S ]| {2}/;

/**
 * A list item's excerpt of a description: its whitespace runs (line breaks, tabs, no-break spaces…)
 * collapsed to one space, trimmed, then at most the first EXCERPT_CHARACTERS characters, cut between
 * code points (never inside a surrogate pair), with no space left at the end. No ellipsis is added:
 * a screen that cuts it shows its own.
 */
export function ticketExcerpt(description: string): string {
  const text = description.replace(WHITESPACE_RUNS, ' ').trim();
  return text.slice(0, afterCodePoints(text, EXCERPT_CHARACTERS)).trimEnd();
}

/**
 * The excerpt from the start of a description, its first `read` characters or fewer (then it is the
 * whole description), or null when that start is not enough: the description is longer, and the
 * start has EXCERPT_CHARACTERS characters or fewer once its whitespace is collapsed (the rest may
 * add to the excerpt). Equal to `ticketExcerpt` of the whole description whenever it is not null:
 * the collapsed start is the start of the collapsed whole.
 */
export function ticketExcerptOfStart(start: string, read: number): string | null {
  // Most starts are prose, one space between words: the excerpt is then a slice of the start itself
  // (V8 makes no copy of its characters), not a new string per ticket of every page.
  const head = start.slice(0, afterCodePoints(start, EXCERPT_CHARACTERS + 1));
  if (head.charCodeAt(0) !== 0x20 && !NEEDS_COLLAPSING.test(head)) {
    // Fewer than 161 characters here is the whole description (read is more than that).
    const end = afterCodePoints(head, EXCERPT_CHARACTERS);
    return (end === head.length ? head : head.slice(0, end)).trimEnd();
  }
  const text = start.replace(WHITESPACE_RUNS, ' ').trimStart();
  const end = afterCodePoints(text, EXCERPT_CHARACTERS);
  if (end < text.length) return text.slice(0, end).trimEnd();
  // UTF-16 units are never fewer than characters: only a long start needs counting.
  const whole = start.length <= read || afterCodePoints(start, read) === start.length;
  return whole ? text.trimEnd() : null;
}

/** Where the first `n` characters (code points) of `text` end, in UTF-16 units (text.length if it has fewer). */
function afterCodePoints(text: string, n: number): number {
  if (text.length <= n) return text.length;
  let end = 0;
  for (let characters = 0; characters < n && end < text.length; characters++) {
    // A high surrogate followed by its low one is one character (U+10000 and above: emoji, …).
    const pair = (text.charCodeAt(end) & 0xfc00) === 0xd800 && end + 1 < text.length && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00;
    end += pair ? 2 : 1;
  }
  return end;
}

/** A ticket's number as people see it: `HD-` and at least six digits (HD-000042, HD-1234567). */
export const formatTicketNumber = (n: string | number): string => `HD-${String(n).padStart(6, '0')}`;

/** The same format in SQL, over a `number` column, for statements that build the JSON themselves. */
export const ticketNumberSql = (number: string): string => `'HD-' || lpad(${number}::text, greatest(6, length(${number}::text)), '0')`;

/** A row's instant as shown: a list's rows carry it as ISO text already (TicketFinder: timestamptzText), others as a Date. */
const iso = (d: Date | string | null): string | null => (d === null ? null : instantView(d));

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

/**
 * A list item's view: the same fields with the excerpt in the description's place. Written out as
 * its own literal, not the other one spread: V8 builds a literal's object at its full size at once,
 * while properties added after a spread grow it (and copy its property store) one by one.
 */
export function ticketListItemFromRow(r: TicketListRow): TicketListItemView {
  return {
    id: r.id,
    number: formatTicketNumber(r.number),
    customerId: r.customer_id,
    subject: r.subject,
    excerpt: r.excerpt,
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
