import { createHash } from 'node:crypto';
import type { Priority } from '../support-plans/support-plan.entity';
import { DomainError } from '@helpdesk/http';
import { TICKET_STATUSES } from './ticket-fields';
import type { TicketCategory, TicketStatus } from './ticket-fields';
import { SqlParams } from '@helpdesk/database';
import { docMatchSql, SearchDoc, SearchTerms, searchQuerySql } from './ticket-search';
import { RESOLUTION_CLOCK_RUNS, SortSegment } from './ticket-sort';

/** Which tickets a list or a count is over. Every field narrows; list fields mean "any of" unless said. */
export interface TicketFilter {
  status?: TicketStatus[];
  customerId?: string;
  /** Any of these queues. */
  queues?: string[];
  priority?: Priority[];
  /** An agent's id, `me` (the calling agent) or null (unassigned). */
  assigneeId?: string | null;
  category?: TicketCategory;
  /** All of these tags. */
  tags?: string[];
  /** Full-text search (web-search syntax) or a ticket number: ticket-search.ts. */
  q?: string;
  /**
   * Open tickets whose running SLA clock (first response or resolution) falls due after `from` and
   * no later than the instant given for the ticket's support plan (a business-time horizon the
   * caller computed per plan with the plan's calendar); plans not listed never match.
   */
  slaDueWithin?: SlaDueWithin;
}

export interface SlaDueWithin {
  from: Date;
  untilByPlan: ReadonlyArray<{ planId: string; until: Date }>;
}

/** Whose tickets: a customer sees only its own, and everyone searches only what they may read. */
export interface TicketScope {
  audience: 'staff' | 'customer';
  customerId?: string;
  agentId?: string;
  /** Staff: the categories of tickets whose internal comments they read (auth's workedCategories); none when absent. */
  worksCategories?: 'all' | readonly string[];
}

/** The first-response clock runs: not yet answered, started, not paused, ticket open. */
const FIRST_RESPONSE_CLOCK_RUNS = `t.first_responded_at IS NULL AND t.first_response_due_at IS NOT NULL AND t.sla_paused_since IS NULL AND t.status NOT IN ('resolved', 'closed')`;

/**
 * What a scope searches: internal comments only of the tickets it works (a customer none, staff who
 * only read tickets none, billing_admin those of billing tickets), the public part of the rest.
 */
export function searchDocument(scope: TicketScope): SearchDoc {
  const worked = scope.audience === 'staff' ? (scope.worksCategories ?? []) : [];
  if (worked === 'all') return 'staff_doc';
  return worked.length ? { staffDocCategories: worked } : 'public_doc';
}

/*
 * ONE_QUEUE_NEWEST: a page of one queue and nothing else, newest first (a queue's inbox). Its
 * statement is prepared, so PostgreSQL runs it on a generic plan, made without knowing the queue:
 * written as `queue = $1 … ORDER BY number DESC`, that plan walks `tickets_number_key` backwards and
 * filters — right for a big queue, but for a small one it reads ≈ 50 rows per match (≈ 1,600 buffers
 * for the first page of `vip`, 2 % of 1,000,000 tickets). Written as `queue = ANY ($1) … ORDER BY
 * queue, number DESC` (the same rows in the same order: one queue), only `tickets_queue_number_idx`
 * gives that order, so every queue's page is read from it (bench/README.md, "The ticket list at 10
 * connections"). filterConditions writes the condition so when given that order (`segment`), and
 * filterPageSql puts `t.queue` first in the order then. With more conditions (a status:
 * `tickets_queue_status_number_idx`), or in a count, nothing changes.
 */

/** Whether a page in `segment`'s order is ONE_QUEUE_NEWEST's when the filter holds one queue alone. */
const isNewestFirst = (segment: SortSegment | undefined): boolean =>
  segment !== undefined && segment.where === 'true' && segment.direction === 'DESC' && segment.keys.length === 1 && segment.keys[0].sql === 't.number';

/**
 * The conditions of a filter over tickets `t`, with the search as a semi-join on `ticket_search`
 * (`search` gives its SQL for the text and the number, or null when the filter has no q). `segment`:
 * the order of the page they are for (none for a count), which decides ONE_QUEUE_NEWEST's shape.
 */
export function filterConditions(scope: TicketScope, filter: TicketFilter, p: SqlParams, search: SearchTerms | null, segment?: SortSegment): string[] {
  const where: string[] = [];
  const customerId = scope.audience === 'customer' ? scope.customerId : filter.customerId;
  if (customerId) where.push(`t.customer_id = ${p.add(customerId, 'uuid')}`);
  if (filter.status?.length) where.push(filter.tags?.length ? openTagsStatusSql(filter.status) : statusSql(filter.status));
  if (filter.queues) {
    const one = filter.queues.length === 1 && !oneQueueAlone(scope, filter, search, segment);
    where.push(one ? `t.queue = ${p.add(filter.queues[0])}` : `t.queue = ANY (${p.add(filter.queues, 'text[]')})`);
  }
  if (filter.priority?.length) where.push(filter.priority.length === 1 ? `t.priority = ${p.add(filter.priority[0])}` : `t.priority = ANY (${p.add(filter.priority, 'text[]')})`);
  if (filter.assigneeId === null) where.push('t.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) where.push(`t.assignee_id = ${p.add(filter.assigneeId, 'uuid')}`);
  if (filter.category) where.push(`t.category = ${p.add(filter.category)}`);
  // `tags <> '{}'`: the predicate of the open tickets' tags index (implied by the containment, not
  // provable by PostgreSQL), so that index serves tag filters only, never a plain open-status one.
  if (filter.tags?.length) where.push(`t.tags @> ${p.add(filter.tags, 'text[]')} AND t.tags <> '{}'`);
  if (filter.slaDueWithin) where.push(slaDueWithinSql(filter.slaDueWithin, p));
  if (search) {
    const parts: string[] = [];
    if (search.text !== null) {
      const open = onlyOpen(filter) ? 's.open AND ' : '';
      parts.push(`t.id IN (SELECT s.ticket_id FROM ticket_search s WHERE ${open}${docMatchSql(searchDocument(scope), searchQuerySql(search.text, customerId, p), p)})`);
    }
    if (search.number !== null) parts.push(`t.number = ${p.add(search.number, 'bigint')}`);
    where.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
  }
  return where;
}

/** ONE_QUEUE_NEWEST: a page in `segment`'s order (none: a count) of one queue and no other condition. */
function oneQueueAlone(scope: TicketScope, filter: TicketFilter, search: SearchTerms | null, segment: SortSegment | undefined): boolean {
  const customerId = scope.audience === 'customer' ? scope.customerId : filter.customerId;
  const others = customerId || filter.status?.length || filter.priority?.length || filter.assigneeId !== undefined || filter.category || filter.tags?.length || filter.slaDueWithin || search !== null;
  return filter.queues?.length === 1 && !others && isNewestFirst(segment);
}

const CLOSED_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

/**
 * Whether the filter holds open tickets only (open statuses, or a running SLA clock): a search then
 * reads only the open tickets' documents (`ticket_search.open`, its partial GIN indexes).
 */
export function onlyOpen(filter: TicketFilter): boolean {
  if (filter.slaDueWithin) return true;
  return Boolean(filter.status?.length) && filter.status!.every((s) => !CLOSED_STATUSES.includes(s));
}

/**
 * The open statuses a search checks by number range (WindowSearch.openStatuses), validated as
 * statusSql validates them; none when they are every open status (the open documents alone, `s.open`,
 * are exactly those tickets).
 */
export function openStatusList(statuses: readonly TicketStatus[]): TicketStatus[] {
  for (const status of statuses) if (!TICKET_STATUSES.includes(status)) throw DomainError.invalid('status', `unknown status ${String(status)}`);
  const open = TICKET_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));
  return open.every((s) => statuses.includes(s)) ? [] : [...new Set(statuses)];
}

/**
 * The statuses as literals, not a parameter: a prepared count or page runs on a generic plan after
 * a few executions, and only literals let PostgreSQL match them to partial indexes. Every open
 * status (the built-in views' "open") is written as the partial indexes of open tickets write it,
 * `status NOT IN ('resolved', 'closed')` (the same set: the column's CHECK allows no other value):
 * the condition is then that index's own predicate (e.g. `tickets_open_unassigned_queue_idx`
 * answers "unassigned in my queues" alone) instead of a bitmap of the 50,000 open entries of
 * `tickets_status_number_idx` ANDed with it.
 */
function statusSql(statuses: readonly TicketStatus[]): string {
  for (const status of statuses) if (!TICKET_STATUSES.includes(status)) throw DomainError.invalid('status', `unknown status ${String(status)}`);
  const open = TICKET_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));
  if (open.every((s) => statuses.includes(s)) && statuses.every((s) => open.includes(s))) return `t.status NOT IN ('resolved', 'closed')`;
  return statuses.length === 1 ? `t.status = '${statuses[0]}'` : `t.status IN (${statuses.map((s) => `'${s}'`).join(', ')})`;
}

/**
 * The statuses of a tag filter: open ones written as the open tickets' tags index's predicate less
 * the open statuses not wanted, which no status index can read. With `status IN (…)` PostgreSQL ANDs
 * the index of the few open tickets with the tag with the status index's tens of thousands of open
 * entries, to drop a few hundred rows it reads anyway (bench/README.md, "Workbench").
 */
function openTagsStatusSql(statuses: readonly TicketStatus[]): string {
  const indexed = statusSql(statuses);
  if (statuses.some((s) => CLOSED_STATUSES.includes(s))) return indexed;
  const unwanted = TICKET_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s) && !statuses.includes(s));
  const open = `t.status NOT IN ('resolved', 'closed')`;
  return unwanted.length === 0 ? open : `${open} AND t.status NOT IN (${unwanted.map((s) => `'${s}'`).join(', ')})`;
}

/**
 * Both clocks, first with bounds an index range can use (the latest horizon of any plan; the
 * partial indexes of migration 1764004310000), then each ticket against its own plan's horizon.
 */
function slaDueWithinSql(window: SlaDueWithin, p: SqlParams): string {
  const latest = window.untilByPlan.reduce<Date | null>((max, h) => (max && max >= h.until ? max : h.until), null);
  // Without a plan nothing is due; no parameter is added (one the text never names is a statement PostgreSQL cannot type).
  if (latest === null) return 'false';
  const from = p.add(window.from, 'timestamptz');
  const until = p.add(latest, 'timestamptz');
  const plans = p.add(window.untilByPlan.map((h) => h.planId), 'uuid[]');
  const untils = p.add(window.untilByPlan.map((h) => h.until), 'timestamptz[]');
  const due = (horizon: string) =>
    `((${RESOLUTION_CLOCK_RUNS} AND t.resolution_due_at > ${from} AND t.resolution_due_at <= ${horizon})
      OR (${FIRST_RESPONSE_CLOCK_RUNS} AND t.first_response_due_at > ${from} AND t.first_response_due_at <= ${horizon}))`;
  return `${due(until)}
    AND EXISTS (SELECT 1 FROM customers c JOIN unnest(${plans}, ${untils}) AS h(plan_id, until) ON h.plan_id = c.support_plan_id
                 WHERE c.id = t.customer_id AND ${due('h.until')})`;
}

/**
 * How many tickets of `where` have a running SLA clock due within `window`, counting no further than
 * `cap`: the same tickets as `slaDueWithinSql`, counted as those whose resolution clock is due in
 * their plan's horizon, then those whose first-response clock is and whose resolution clock is not
 * (so a ticket with both is counted once). Each part reads one running-clock index by due time with
 * the customer (and, for the first response, the resolution due time) in the index itself
 * (migration 1764005360000): no ticket row is read unless `where` has other conditions, and the
 * count stops at the cap instead of reading every ticket due before the latest plan's horizon.
 */
export function slaDueCountSql(where: readonly string[], window: SlaDueWithin, p: SqlParams, cap: number): string {
  if (window.untilByPlan.length === 0) return `SELECT 0 AS n`;
  const [resolution, firstResponse] = slaDueParts(window, p);
  return `SELECT count(*)::int AS n FROM (
            (SELECT 1 FROM tickets t WHERE ${[...where, ...resolution].join(' AND ')})
            UNION ALL
            (SELECT 1 FROM tickets t WHERE ${[...where, ...firstResponse].join(' AND ')})
            LIMIT ${p.add(cap, 'int')}) x`;
}

/**
 * How much of a description a list reads: the excerpt needs 160 characters (ticket.view.ts), and
 * twice that is enough unless the start is mostly whitespace (TicketFinder then reads the rest).
 */
export const LIST_DESCRIPTION_CHARACTERS = 320;

/**
 * What a list selects of each ticket `t`: `columns` (those its views read: VIEW_COLUMNS and the
 * hooks' viewColumns), and instead of the whole description (up to 20,000 characters, the largest
 * part of a row) its start, `description_start`: one character more than LIST_DESCRIPTION_CHARACTERS
 * says whether there is more (cheaper than PostgreSQL counting the whole description's characters).
 */
export function listSelectSql(columns: readonly string[]): string {
  return [...columns.map((c) => `t.${c}`), `left(t.description, ${LIST_DESCRIPTION_CHARACTERS + 1}) AS description_start`].join(', ');
}

/**
 * A page's LIMIT, written as a literal, not a parameter. A page's statement is prepared; with
 * `LIMIT $n` PostgreSQL costs its generic plan as if the page could be any share of the table, never
 * cheaper than a plan made for 51 rows, so it plans every execution anew (custom plans, 1 of 1 on the
 * `due` sort's first page and on breaching soon's: ≈ 0.5–1.8 ms of planning a request against the many
 * indexes of `tickets`, bench/README.md "Three workbench tails"). With the number in the text it plans
 * a statement once per connection, as its name promises. A handful of texts: a page's size and what
 * a later segment still needs.
 */
function pageLimit(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`a page's limit must be a positive whole number, not ${limit}`);
  return String(limit);
}

/**
 * One page of one sort segment: the rows (`select`: listSelectSql) with `_k0`, `_k1`… (the keys as
 * text, for the cursor), after `after` (the keys of the last row seen in this segment) when given.
 * `leading`: columns the conditions hold to one value, ordered by before the keys (the same order):
 * a generic plan then reads the page from an index led by them (ONE_QUEUE_NEWEST).
 */
export function segmentPageSql(segment: SortSegment, where: readonly string[], p: SqlParams, after: readonly string[] | null, limit: number, select: string, leading: readonly string[] = []): string {
  const conditions = [...where, segment.where];
  if (after) {
    const op = segment.direction === 'ASC' ? '>' : '<';
    const keys = segment.keys.map((k) => k.sql).join(', ');
    const values = segment.keys.map((k, i) => p.add(after[i], k.type)).join(', ');
    conditions.push(segment.keys.length === 1 ? `${keys} ${op} ${values}` : `(${keys}) ${op} (${values})`);
  }
  const keyColumns = segment.keys.map((k, i) => `${k.sql}::text AS _k${i}`).join(', ');
  const order = [...leading, ...segment.keys.map((k) => `${k.sql} ${segment.direction}`)].join(', ');
  return `SELECT ${select}, ${keyColumns} FROM tickets t WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${pageLimit(limit)}`;
}

/** Which page of a filter: its sort segment, after which keys (null: the first), how many rows, which columns. */
export interface FilterPage {
  segment: SortSegment;
  after: readonly string[] | null;
  limit: number;
  select: string;
}

/** One page of a filter in one sort segment: its conditions and segmentPageSql, led by the queue for ONE_QUEUE_NEWEST. */
export function filterPageSql(
  scope: TicketScope,
  filter: TicketFilter,
  p: SqlParams,
  search: SearchTerms | null,
  page: FilterPage,
): string {
  if (filter.slaDueWithin && filter.slaDueWithin.untilByPlan.length > 0) return slaDuePageSql(scope, filter, p, search, page);
  const where = filterConditions(scope, filter, p, search, page.segment);
  const leading = oneQueueAlone(scope, filter, search, page.segment) ? ['t.queue'] : [];
  return segmentPageSql(page.segment, where, p, page.after, page.limit, page.select, leading);
}

/**
 * A page of tickets with a running SLA clock due soon (`slaDueWithin`: the "breaching soon" view)
 * in one sort segment: the tickets whose resolution clock is due in their plan's horizon, and those
 * whose first-response clock is and whose resolution clock is not (slaDueCountSql's two parts, so
 * no ticket twice), each part read in the segment's order and stopped at the page's size, then
 * merged. Written as one condition (the two clocks ORed, slaDueWithinSql), PostgreSQL can read it
 * only as a bitmap of both clocks' indexes: every ticket due before the latest plan's horizon (≈ 550
 * of 1,000,000 in the workbench bench, heap page and customer check each: ≈ 1,550 buffers), sorted,
 * for a page of 50. Each part here is an index range in the `due` order (the running resolution
 * clocks' index), read only as far as the page needs.
 */
function slaDuePageSql(
  scope: TicketScope,
  filter: TicketFilter,
  p: SqlParams,
  search: SearchTerms | null,
  page: FilterPage,
): string {
  const where = filterConditions(scope, { ...filter, slaDueWithin: undefined }, p, search, page.segment);
  const [resolution, firstResponse] = slaDueParts(filter.slaDueWithin!, p);
  // A segment of tickets whose resolution clock does not run (`due`'s second) holds none of the first part.
  const possible = page.segment.where.includes(`NOT (${RESOLUTION_CLOCK_RUNS})`) ? [firstResponse] : [resolution, firstResponse];
  if (possible.length === 1) return segmentPageSql(page.segment, [...where, ...firstResponse], p, page.after, page.limit, page.select);
  const parts = possible.map((part) => `(${segmentPageSql(page.segment, [...where, ...part], p, page.after, page.limit, page.select)})`);
  // The parts' rows carry their keys as text (_k0, _k1…): cast back, they order as the keys do.
  const order = page.segment.keys.map((k, i) => `u._k${i}::${k.type} ${page.segment.direction}`).join(', ');
  return `SELECT u.* FROM (${parts.join(' UNION ALL ')}) u ORDER BY ${order} LIMIT ${pageLimit(page.limit)}`;
}

/**
 * The two disjoint parts of `slaDueWithin` (both clocks, each ticket against its own plan's horizon):
 * the resolution clock due in it; the first-response clock due in it and the resolution clock not.
 * Where the first-response clock runs the ticket is open and not paused, so its resolution clock runs
 * exactly when it has a due time (as in slaDueCountSql).
 */
function slaDueParts(window: SlaDueWithin, p: SqlParams): [string[], string[]] {
  const from = p.add(window.from, 'timestamptz');
  const latest = p.add(window.untilByPlan.reduce((max, h) => (max >= h.until ? max : h.until), window.untilByPlan[0].until), 'timestamptz');
  const plans = p.add(window.untilByPlan.map((h) => h.planId), 'uuid[]');
  const untils = p.add(window.untilByPlan.map((h) => h.until), 'timestamptz[]');
  const withinPlan = (condition: string) =>
    `EXISTS (SELECT 1 FROM customers c JOIN unnest(${plans}, ${untils}) AS h(plan_id, until) ON h.plan_id = c.support_plan_id
              WHERE c.id = t.customer_id AND ${condition})`;
  const due = (column: string, horizon: string) => `${column} > ${from} AND ${column} <= ${horizon}`;
  return [
    [RESOLUTION_CLOCK_RUNS, due('t.resolution_due_at', latest), withinPlan(due('t.resolution_due_at', 'h.until'))],
    [
      FIRST_RESPONSE_CLOCK_RUNS,
      due('t.first_response_due_at', latest),
      withinPlan(`${due('t.first_response_due_at', 'h.until')} AND NOT (t.resolution_due_at IS NOT NULL AND ${due('t.resolution_due_at', 'h.until')})`),
    ],
  ];
}

/** How many tickets of the filter there are, counting no further than `cap`. */
export function filterCountSql(scope: TicketScope, filter: TicketFilter, p: SqlParams, search: SearchTerms | null, cap: number): string {
  if (filter.slaDueWithin && search === null) return slaDueCountSql(filterConditions(scope, { ...filter, slaDueWithin: undefined }, p, null), filter.slaDueWithin, p, cap);
  return countSql(filterConditions(scope, filter, p, search), p, cap);
}

/** How many tickets match, counting no further than `cap` (a list of a million is "cap or more"). */
export function countSql(where: readonly string[], p: SqlParams, cap: number): string {
  return `SELECT count(*)::int AS n FROM (SELECT 1 FROM tickets t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ${p.add(cap, 'int')}) x`;
}

/** A name for a prepared statement of this text (PostgreSQL cuts names at 63 bytes: a hash stays unique). */
export const statementName = (prefix: string, sql: string): string => `${prefix}_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
