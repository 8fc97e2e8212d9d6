import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeSignedCursor, encodeSignedCursor, prepared, queryPrepared, SHOWN_INSTANT_TYPES, SqlParams } from '@helpdesk/database';
import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { filterConditions, filterCountSql, filterPageSql, LIST_DESCRIPTION_CHARACTERS, listSelectSql, onlyOpen, openStatusList, searchDocument, statementName, TicketFilter, TicketScope } from './ticket-list-query';
import { compareRanked, countMatches, newestMatches, RankedMatch, RELEVANCE_WINDOW, SearchTerms, searchTerms, WindowSearch } from './ticket-search';
import { isSegmentKey, SORT_SEGMENTS, TicketSort } from './ticket-sort';
import { TicketHooks } from './ticket-hooks';
import { TicketColumns, ticketExcerpt, ticketExcerptOfStart, TicketListRow } from './ticket.view';

export interface TicketListRequest extends TicketFilter {
  /** Default: `relevance` with q, `-number` (newest first) without. */
  sort?: TicketSort;
  limit?: number;
  cursor?: string;
}

export interface TicketRowPage {
  rows: TicketListRow[];
  nextCursor: string | null;
}

/** A row as a list selects it (listSelectSql): the start of the description, not all of it. */
type SelectedRow = TicketColumns & { description_start: string };

type SegmentSort = Exclude<TicketSort, 'relevance'>;

/** Where the next page of a segment sort starts: segment `g`, after the keys `k`. */
interface SegmentCursor {
  s: SegmentSort;
  g: number;
  k: string[];
}

/**
 * Where the next page of a relevance sort starts: the window of matches below number `b`, after
 * the match of rank `r` and number `n` in it (none: from the window's best); `x` the number of the
 * ticket q named, already shown first; `h` ties the cursor to its q.
 */
interface RelevanceCursor {
  s: 'relevance';
  h: string;
  b: string;
  x: string | null;
  r: string | null;
  n: string | null;
}

const MAX_NUMBER = 9_223_372_036_854_775_807n;
const NUMBER_TEXT = /^\d{1,19}$/;
const isNumberText = (v: unknown): v is string => typeof v === 'string' && NUMBER_TEXT.test(v) && BigInt(v) <= MAX_NUMBER;
const RANK_TEXT = /^\d+(\.\d+)?(e[-+]?\d+)?$/i;
export const DEFAULT_PAGE_SIZE = 50;

// Prepared (planned once per connection): with the walk's steps, planning was a large share of a search's CPU.
const NEWEST_NUMBER = `SELECT max(number)::text AS n FROM tickets`;
const DESCRIPTIONS_BY_ID = `SELECT id, description FROM tickets WHERE id = ANY ($1::uuid[])`;

const queryHash = (q: string) => createHash('sha256').update(q.trim()).digest('base64url').slice(0, 16);

/**
 * Finds tickets: lists in any sort with keyset cursors, full-text search ranked by relevance,
 * counts. Every query applies the scope (a customer sees only its own tickets, searches only what
 * it may read) before the filters.
 */
@Injectable()
export class TicketFinder {
  /** listSelect's statement part, for the hooks' columns it was made of. */
  private select: { columns: readonly string[]; sql: string } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hooks: TicketHooks,
  ) {}

  async page(scope: TicketScope, request: TicketListRequest): Promise<TicketRowPage> {
    const filter = this.resolve(scope, request);
    const sort = request.sort ?? (request.q ? 'relevance' : '-number');
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    if (sort === 'relevance') {
      if (!request.q) throw DomainError.invalid('sort', 'relevance needs a search: q', FieldErrorCode.NeedsSearch);
      return this.relevancePage(scope, filter, searchTerms(request.q), request.cursor, limit);
    }
    return this.segmentPage(scope, filter, sort, request.cursor, limit);
  }

  /** How many tickets match, counting up to `cap`. */
  async count(scope: TicketScope, request: TicketFilter, cap: number): Promise<number> {
    const filter = this.resolve(scope, request);
    const search = filter.q ? searchTerms(filter.q) : null;
    // Words (and not a ticket number too): counted newest range first, stopping at the cap.
    if (search?.text && search.number === null) {
      const run = <T>(sql: string, values: unknown[]) => this.dataSource.query(sql, values) as Promise<T[]>;
      const [{ n: newest }] = await this.run<{ n: string | null }>('tmax', NEWEST_NUMBER, [], false);
      return newest === null ? 0 : countMatches(windowSearch(scope, filter, search.text, null), BigInt(newest), cap, run);
    }
    const p = new SqlParams();
    const sql = filterCountSql(scope, filter, p, search, cap);
    const rows = await this.run<{ n: number }>('tc', sql, p.values, search !== null);
    return rows[0].n;
  }

  /** `me` is the calling agent; a customer cannot ask for assignees. */
  private resolve(scope: TicketScope, filter: TicketFilter): TicketFilter {
    if (filter.assigneeId !== 'me') return filter;
    if (!scope.agentId) throw DomainError.invalid('assigneeId', 'me is for staff tokens');
    return { ...filter, assigneeId: scope.agentId };
  }

  private async segmentPage(scope: TicketScope, filter: TicketFilter, sort: SegmentSort, cursor: string | undefined, limit: number): Promise<TicketRowPage> {
    const segments = SORT_SEGMENTS[sort];
    const from = cursor
      ? decodeSignedCursor(cursor, (c): c is SegmentCursor => {
          const s = c as Partial<SegmentCursor>;
          return s.s === sort && Number.isInteger(s.g) && s.g! >= 0 && s.g! < segments.length && isSegmentKey(segments[s.g!], s.k);
        })
      : { s: sort, g: 0, k: null };
    const search = filter.q ? searchTerms(filter.q) : null;
    const select = this.listSelect();
    const found: Array<{ row: SelectedRow; g: number }> = [];
    for (let g = from.g; g < segments.length && found.length <= limit; g++) {
      const p = new SqlParams();
      const sql = filterPageSql(scope, filter, p, search, { segment: segments[g], after: g === from.g ? from.k : null, limit: limit + 1 - found.length, select });
      const rows = await this.run<SelectedRow>('tl', sql, p.values, search !== null);
      for (const row of rows) found.push({ row, g });
    }
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    const next: SegmentCursor | null =
      found.length > limit ? { s: sort, g: last.g, k: segments[last.g].keys.map((_k, i) => last.row[`_k${i}`] as string) } : null;
    return { rows: await this.withExcerpts(page.map((f) => f.row)), nextCursor: next && encodeSignedCursor(next) };
  }

  /** What a list selects of each ticket: the columns its views read (intake's and the hooks'), the description's start. */
  private listSelect(): string {
    const columns = this.hooks.viewColumns();
    if (this.select?.columns !== columns) this.select = { columns, sql: listSelectSql(columns) };
    return this.select.sql;
  }

  /**
   * Each row's excerpt from the start of its description; the few whose start is not enough (long
   * whitespace runs in it, ticketExcerptOfStart) get theirs from the whole description, read in one query.
   */
  private async withExcerpts(rows: SelectedRow[]): Promise<TicketListRow[]> {
    // The rows themselves, not copies: a page's allocation is what this list is kept lean for.
    const listed = rows as Array<SelectedRow & TicketListRow>;
    const short: TicketListRow[] = [];
    for (const row of listed) {
      const excerpt = ticketExcerptOfStart(row.description_start, LIST_DESCRIPTION_CHARACTERS);
      row.excerpt = excerpt ?? '';
      if (excerpt === null) short.push(row);
    }
    if (short.length > 0) {
      const whole = await this.run<{ id: string; description: string }>('tdesc', DESCRIPTIONS_BY_ID, [short.map((r) => r.id)], false);
      const excerpts = new Map(whole.map((r) => [r.id, ticketExcerpt(r.description)]));
      for (const row of short) row.excerpt = excerpts.get(row.id) ?? '';
    }
    return listed;
  }

  private async relevancePage(scope: TicketScope, filter: TicketFilter, terms: SearchTerms, cursor: string | undefined, limit: number): Promise<TicketRowPage> {
    const h = queryHash(filter.q!);
    const at: RelevanceCursor = cursor
      ? decodeSignedCursor(cursor, (c): c is RelevanceCursor => {
          const r = c as Partial<RelevanceCursor>;
          return (
            r.s === 'relevance' && r.h === h && isNumberText(r.b) && (r.x === null || isNumberText(r.x)) &&
            ((r.r === null && r.n === null) || (typeof r.r === 'string' && RANK_TEXT.test(r.r) && isNumberText(r.n)))
          );
        })
      : { s: 'relevance', h, b: MAX_NUMBER.toString(), x: null, r: null, n: null };
    const found: Array<{ id: string; next: RelevanceCursor }> = [];

    // First of all, the ticket q names by its number (first page only).
    let except = at.x;
    if (!cursor && terms.number !== null) {
      const p = new SqlParams();
      const where = filterConditions(scope, filter, p, null);
      where.push(`t.number = ${p.add(terms.number, 'bigint')}`);
      const [named] = await this.run<{ id: string }>('tn', `SELECT t.id FROM tickets t WHERE ${where.join(' AND ')}`, p.values, false);
      if (named) {
        except = terms.number;
        found.push({ id: named.id, next: { s: 'relevance', h, b: MAX_NUMBER.toString(), x: except, r: null, n: null } });
      }
    }

    if (terms.text !== null) {
      const text = terms.text;
      const run = <T>(sql: string, values: unknown[]) => this.dataSource.query(sql, values) as Promise<T[]>;
      const search = windowSearch(scope, filter, text, except);
      let below = BigInt(at.b);
      let after: RankedMatch | null = at.r !== null && at.n !== null ? { ticket_id: '', rank: at.r, number: at.n } : null;
      // The newest ticket's number: where the first window starts looking.
      const [{ n: newestNumber }] = await this.run<{ n: string | null }>('tmax', NEWEST_NUMBER, [], false);
      while (found.length <= limit && newestNumber !== null) {
        const newest = await newestMatches(search, below === MAX_NUMBER ? BigInt(newestNumber) : below - 1n, run);
        if (newest.length === 0) break;
        // The first window is fixed at the newest match it found: a newer ticket appears on a new search, not on the next page.
        const top = (below === MAX_NUMBER ? BigInt(newest[0].number) + 1n : below).toString();
        const window = [...newest].sort(compareRanked);
        const rest = after ? window.filter((m) => compareRanked(m, after!) > 0) : window;
        for (const m of rest.slice(0, limit + 1 - found.length)) found.push({ id: m.ticket_id, next: { s: 'relevance', h, b: top, x: except, r: m.rank, n: m.number } });
        if (newest.length < RELEVANCE_WINDOW) break;
        below = BigInt(newest[newest.length - 1].number);
        after = null;
      }
    }

    const page = found.slice(0, limit);
    const rows = page.length ? await this.run<SelectedRow>('tids', `SELECT ${this.listSelect()} FROM tickets t WHERE t.id = ANY ($1::uuid[])`, [page.map((f) => f.id)], false) : [];
    const byId = new Map((await this.withExcerpts(rows)).map((r) => [r.id, r]));
    return {
      rows: page.map((f) => byId.get(f.id)).filter((r): r is TicketListRow => r !== undefined),
      nextCursor: found.length > limit ? encodeSignedCursor(page[page.length - 1].next) : null,
    };
  }

  /**
   * A list statement: prepared (parsed and planned once per connection; planning against the many
   * indexes of `tickets` costs more than running it) unless it searches — a search is planned for
   * its words, whose frequencies decide between the GIN index and a walk in number order. A list's
   * instants are only shown: a prepared one's rows carry them as their ISO text (timestamptzText),
   * not as Dates formatted back a moment later.
   */
  private async run<T>(prefix: string, sql: string, values: unknown[], searches: boolean): Promise<T[]> {
    if (searches) return (await this.dataSource.query(sql, values)) as T[];
    return queryPrepared<T>(this.dataSource.manager, prepared(statementName(prefix, sql), sql), values, { types: SHOWN_INSTANT_TYPES });
  }
}

/**
 * A search of the words `text` for `scope`, with the filter's other conditions checked on each
 * match's ticket; open statuses alone are checked by the step's number range (`openStatuses`).
 */
function windowSearch(scope: TicketScope, filter: TicketFilter, text: string, except: string | null): WindowSearch {
  const open = onlyOpen(filter);
  const openStatuses = open && filter.status?.length && !filter.tags?.length ? filter.status : undefined;
  return {
    doc: searchDocument(scope),
    text,
    customerId: scope.audience === 'customer' ? scope.customerId : filter.customerId,
    except,
    // The filters besides the customer, who is a key of the documents (and the open statuses).
    where: (p: SqlParams) => filterConditions({ audience: scope.audience }, { ...filter, customerId: undefined, ...(openStatuses ? { status: undefined } : {}) }, p, null),
    onlyOpen: open,
    openStatuses: openStatuses ? openStatusList(openStatuses) : undefined,
  };
}
