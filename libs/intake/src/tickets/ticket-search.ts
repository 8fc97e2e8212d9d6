import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { SqlParams } from '@helpdesk/database';

/** What a q searches for: words (null if none) and a ticket number (null if q is not one). */
export interface SearchTerms {
  text: string | null;
  number: string | null;
}

/**
 * Full-text search over tickets (`q`): the words in web-search syntax ("quoted phrase", -word,
 * or), over the documents of `ticket_search` (ticket-search.sql: subject, description and comments,
 * English and Spanish stemming, accents ignored), plus the ticket number when q is one ("HD-000123",
 * "#123" or "123").
 *
 * Relevance: ranking every match of a common word ("error" is in a large share of all tickets)
 * costs far more than a page (bench/README.md, "Search"). Matches are ranked in windows of the
 * RELEVANCE_WINDOW newest: the newest matches ranked best first, then the next older window ranked,
 * and so on. A ticket whose number q is comes first of all.
 *
 * The newest matches are found range by range of ticket numbers, newest range first, with the
 * range's key ANDed to the words inside the GIN index (ticket_search_keys): a common word is read
 * only where its newest matches are, a rare one in a few large ranges. Each step picks the range
 * size from how dense the matches were so far, so a search reads about as many rows as it returns.
 */
export const RELEVANCE_WINDOW = 200;

/** The sizes of the number ranges the documents carry a key of: 10^3 … 10^7 (ticket-search.sql). */
const RANGE_LEVELS = [3, 4, 5, 6, 7] as const;

const NUMBER_ONLY = /^(?:hd-?|#)\s*0*(\d{1,18})$/i;
const DIGITS = /^0*(\d{1,18})$/;
const WORD = /[\p{L}\p{N}]/u;

export function searchTerms(q: string): SearchTerms {
  const trimmed = q.trim();
  if (!WORD.test(trimmed)) throw DomainError.invalid('q', 'must contain a word or a ticket number', FieldErrorCode.SearchWord);
  const prefixed = NUMBER_ONLY.exec(trimmed);
  if (prefixed) return { text: null, number: prefixed[1] === '0' ? null : prefixed[1] };
  const digits = DIGITS.exec(trimmed);
  return { text: trimmed, number: digits && digits[1] !== '0' ? digits[1] : null };
}

/** The key of a customer's tickets in the documents (uuid: no quote to escape). */
export const customerKey = (customerId: string): string => `'customer ${customerId}'`;

/** The words of q, and the customer's key when there is one, as the tsquery a search matches. */
export function searchQuerySql(text: string, customerId: string | undefined, p: SqlParams): string {
  const words = `ticket_search_query(${p.add(text)})`;
  return customerId ? `(${words} && ${p.add(customerKey(customerId), 'tsquery')})` : words;
}

/** A match in a window: id, number and (once ranked) its rank as PostgreSQL prints a real (exact, for the cursor). */
export interface RankedMatch {
  ticket_id: string;
  number: string;
  rank: string;
}

/**
 * The document of `ticket_search` a search reads: every comment (`staff_doc`), public comments only
 * (`public_doc`), or every comment of tickets in these categories and public comments elsewhere.
 */
export type SearchDoc = 'staff_doc' | 'public_doc' | { staffDocCategories: readonly string[] };

/** The ticket of `ticket_search` row `alias` is in one of these categories. */
const inCategories = (categories: readonly string[], alias: string, p: SqlParams) =>
  `EXISTS (SELECT 1 FROM tickets tc WHERE tc.id = ${alias}.ticket_id AND tc.category = ANY (${p.add(categories, 'text[]')}))`;

/** `ticket_search` row `s` matches `query` (a tsquery) in the document `doc`. */
export function docMatchSql(doc: SearchDoc, query: string, p: SqlParams): string {
  if (typeof doc === 'string') return `s.${doc} @@ ${query}`;
  // public_doc is part of staff_doc: only the tickets worked may match in the rest of it.
  return `(s.public_doc @@ ${query} OR (s.staff_doc @@ ${query} AND ${inCategories(doc.staffDocCategories, 's', p)}))`;
}

export interface WindowSearch {
  doc: SearchDoc;
  text: string;
  customerId: string | undefined;
  /** Never this number (the ticket q named, shown first). */
  except: string | null;
  /** Conditions on the ticket `t` (the filters besides the search and the customer). */
  where: (p: SqlParams) => string[];
  /** Those conditions hold only for open tickets: only the open tickets' documents are read. */
  onlyOpen?: boolean;
  /**
   * The ticket is in one of these open statuses (not in `where`): checked against
   * `open_ticket_statuses` by the step's number range (openStatusSql), not ticket by ticket.
   */
  openStatuses?: readonly string[];
}

/** Runs one statement of the search. */
export type SearchQuery = <T>(sql: string, values: unknown[]) => Promise<T[]>;

/** What one step of a walk found: how many matches, and the newest one's number (null if none). */
export interface StepFound {
  found: number;
  newest: bigint | null;
}

/**
 * Walks the number ranges from `from` down, newest first, until `wanted` matches are found or no
 * number is left: `step(level, upTo, want, sized)` reads the range of RANGE_LEVELS[level] holding `upTo` (`sized`: by the density of the matches found so far; none found yet, the widest range allowed).
 * Each next range is sized for the matches still wanted at the density seen so far, so a walk reads
 * about as many rows as it finds.
 *
 * The density is measured from the newest match on: the newest tickets may simply not have the
 * words (a thousand tickets of other subjects), which says nothing about the older ones. And a
 * range is never more than ten times the numbers read so far: a step reads every match of its range
 * before keeping the newest, so a density guessed from one or two stray matches must not send it to
 * a range holding every match of a common word. A rare word pays one cheap empty step per level.
 *
 * `thinning` (a search with conditions on the ticket: a status, a queue…): those tickets are not
 * spread evenly (open ones are mostly the newest), so the density seen near the top overstates the
 * older ranges; a sized step that found under half of what it wanted lets the next one grow tenfold
 * instead of taking ever smaller steps that find nothing (a status search's last match: 21
 * statements, bench/README.md "A search with a status filter, branch `r10-statussearch`").
 */
export async function walkRanges(
  from: bigint,
  wanted: number,
  step: (level: number, upTo: bigint, want: number, sized: boolean) => Promise<StepFound>,
  thinning = false,
): Promise<void> {
  let found = 0;
  let upTo = from;
  let covered = 0n;
  let newest: bigint | null = null;
  let level = 0;
  while (found < wanted && upTo >= 1n) {
    const size = 10n ** BigInt(RANGE_LEVELS[level]);
    const first = (upTo / size) * size;
    const want = wanted - found;
    const sized = newest !== null;
    const got = await step(level, upTo, want, sized);
    found += got.found;
    if (newest === null && got.newest !== null) newest = got.newest;
    const read = upTo - first + 1n;
    covered += read;
    upTo = first - 1n;
    const widest = 10 * Number(covered);
    let span = newest === null ? widest : Math.min(widest, ((wanted - found) * Number(newest - first + 1n)) / found);
    // A sized step that found under half what it was sized for: the matches thin out below (a
    // ticket filter's tickets are not spread evenly: open ones are mostly the newest), and the
    // density since the newest match would size ever smaller steps that find nothing.
    if (thinning && sized && got.found * 2 < want) span = Math.min(widest, Math.max(span, 10 * Number(read)));
    level = 0;
    while (level < RANGE_LEVELS.length - 1 && 10 ** RANGE_LEVELS[level] < span && 10 ** RANGE_LEVELS[level + 1] <= widest) level++;
  }
}

/**
 * The search narrows its matches by the ticket too: a customer (its key ANDed in the GIN scan), the
 * open documents' partial index, or conditions on the ticket row (status, queue, assignee, …).
 */
export function filtersTickets(search: WindowSearch, rowConditions = hasRowConditions(search)): boolean {
  return search.customerId !== undefined || search.onlyOpen === true || checksTickets(search, rowConditions);
}

/** The search has conditions on the ticket row `t` (`where`: a queue, an assignee, a status not checked by range…). */
const hasRowConditions = (search: WindowSearch): boolean => search.where(new SqlParams()).length > 0;

/** The search has conditions on the ticket besides the customer: a status, a queue… */
const checksTickets = (search: WindowSearch, rowConditions: boolean): boolean => Boolean(search.openStatuses?.length) || rowConditions;

/** The RELEVANCE_WINDOW newest matches with a number up to `from`, newest first, each with its rank. */
export async function newestMatches(search: WindowSearch, from: bigint, run: SearchQuery): Promise<RankedMatch[]> {
  const found: RankedMatch[] = [];
  // Sub-ranges only for the words alone: with a ticket filter each of the ten sub-range scans pays
  // the filter again (the customer key's posting list, the tickets' index) and the step reads more
  // than one scan of its range (bench/README.md, "Search, branch `r6-search`").
  const rowConditions = hasRowConditions(search);
  const splits = !filtersTickets(search, rowConditions);
  // Open statuses alone: every step by sub-ranges, sized or not. Its range holds the step's matches
  // of every open status (a common word: thousands of rows read to keep a hundred); a sub-range's
  // statuses cost a few pages of open_ticket_statuses, so the step stops after the sub-ranges it needs.
  const statusSplits = Boolean(search.openStatuses?.length) && search.customerId === undefined && !rowConditions;
  await walkRanges(
    from,
    RELEVANCE_WINDOW,
    async (level, upTo, want, sized) => {
      const p = new SqlParams();
      const rows = await run<RankedMatch>(rangeStepSql(search, level, upTo, want, p, (!sized && splits) || statusSplits), p.values);
      found.push(...rows);
      return { found: rows.length, newest: rows.length ? BigInt(rows[0].number) : null };
    },
    checksTickets(search, rowConditions),
  );
  return found;
}

/**
 * How many tickets up to number `from` match, counting no further than `cap`: the same walk, newest
 * ranges first, each range's words ANDed with its key inside the GIN index, so a common word with
 * a filter on the ticket (a view's "factura" in open statuses) stops once `cap` are found instead
 * of checking the document of every ticket the filter selects.
 */
export async function countMatches(search: WindowSearch, from: bigint, cap: number, run: SearchQuery): Promise<number> {
  let counted = 0;
  await walkRanges(from, cap, async (level, upTo, want) => {
    const p = new SqlParams();
    const [{ n, newest }] = await run<{ n: number; newest: string | null }>(rangeCountSql(search, level, upTo, want, p), p.values);
    counted += n;
    return { found: n, newest: newest === null ? null : BigInt(newest) };
  });
  return counted;
}

/**
 * One step of `newestMatches`: the newest `want` matches at or below number `upTo` in the range of
 * RANGE_LEVELS[level] that holds `upTo`, each ranked (subject above description above comments,
 * normalised by document length).
 *
 * `bySubRanges` (the walk has found no match yet, so the range was not sized by a density): the
 * range is read sub-range by sub-range (its ten ranges of the level below), newest first, and the
 * step stops once it has `want`. A step reads every match of what it reads before keeping the
 * newest, so a common word found nowhere in the newest tickets (a thousand tickets of other
 * subjects) reads one sub-range of the widest range the walk allows, not all of it. Once a density
 * is known the range holds about `want` matches and one scan of it costs less than ten.
 *
 * The rank is taken here, of the rows kept, whose documents the step has just read: looking the
 * window's rows up again by id (200 random index and heap pages) costs more than the step itself.
 *
 * With conditions on the ticket (a status…), the range's matches are sorted newest first and each
 * one's ticket is checked as it comes (ticketCheckSql), until `want` pass: a few index pages per
 * match looked at. Checking them by a semi-join instead let PostgreSQL read every ticket of the
 * asked status in the range (index entries plus a heap visit each: open tickets change, so their
 * pages are seldom all-visible), or, when it guessed one such ticket in the newest range, re-run the
 * GIN scan once per ticket there (4,000+ buffers to find nothing).
 */
export function rangeStepSql(search: WindowSearch, level: number, upTo: bigint, want: number, p: SqlParams, bySubRanges = false): string {
  const size = 10n ** BigInt(RANGE_LEVELS[level]);
  const to = p.add(upTo.toString(), 'bigint');
  const columns = `s.ticket_id, s.number, ${typeof search.doc === 'string' ? `s.${search.doc}` : 's.staff_doc, s.public_doc'}`;
  const limit = p.add(want, 'int');
  const rank = `ts_rank(${rankedDocSql(search.doc, 'm', p)}, ticket_search_query(${p.add(search.text)}), 1)::text`;
  const ranked = (from: string) => `SELECT m.ticket_id, m.number::text AS number, ${rank} AS rank FROM ${from} LIMIT ${limit}`;
  if (!bySubRanges || level === 0) {
    const from = () => p.add(((upTo / size) * size).toString(), 'bigint');
    const range = p.add(rangeKey(level, upTo), 'tsquery');
    const where = search.where(p);
    if (where.length) {
      // The range's matches newest first, each one's ticket checked until `want` pass (ticketCheckSql).
      const first = from();
      const matches = `SELECT ${columns} FROM ticket_search s WHERE ${matchConditions(search, range, to, p, first).join(' AND ')} AND s.number >= ${first} ORDER BY s.number DESC OFFSET 0`;
      return ranked(`(SELECT c.* FROM (${matches}) c WHERE ${ticketCheckSql('c', where)} ORDER BY c.number DESC LIMIT ${limit}) m`);
    }
    const conditions = rangeConditions(search, range, from, to, p);
    return ranked(`(SELECT ${columns} FROM ticket_search s WHERE ${conditions.join(' AND ')} ORDER BY s.number DESC LIMIT ${limit}) m`);
  }
  const sub = RANGE_LEVELS[level - 1];
  const subSize = 10n ** BigInt(sub);
  const conditions = rangeConditions(search, `quote_literal('range ${sub} ' || r.sub)::tsquery`, () => `r.sub * ${subSize}`, to, p, `r.sub * ${subSize} + ${subSize - 1n}`);
  const subRanges = `generate_series(${p.add((upTo / subSize).toString(), 'bigint')}, ${p.add((((upTo / size) * size) / subSize).toString(), 'bigint')}, -1) AS r(sub)`;
  return ranked(`${subRanges} CROSS JOIN LATERAL (SELECT ${columns} FROM ticket_search s WHERE ${conditions.join(' AND ')} ORDER BY s.number DESC LIMIT ${limit}) m`);
}

/** The key of the range of RANGE_LEVELS[level] holding number `n` in the documents (ticket_search_keys). */
const rangeKey = (level: number, n: bigint) => `'range ${RANGE_LEVELS[level]} ${n / 10n ** BigInt(RANGE_LEVELS[level])}'`;

/**
 * One step of `countMatches`: how many match at or below `upTo` in the range of RANGE_LEVELS[level]
 * holding it, up to `want`, and the newest of those counted (any `want` of them: the newest when all).
 */
export function rangeCountSql(search: WindowSearch, level: number, upTo: bigint, want: number, p: SqlParams): string {
  const size = 10n ** BigInt(RANGE_LEVELS[level]);
  const range = p.add(rangeKey(level, upTo), 'tsquery');
  const to = p.add(upTo.toString(), 'bigint');
  const conditions = rangeConditions(search, range, () => p.add(((upTo / size) * size).toString(), 'bigint'), to, p);
  return `SELECT count(*)::int AS n, max(x.number)::text AS newest
            FROM (SELECT s.number FROM ticket_search s WHERE ${conditions.join(' AND ')} LIMIT ${p.add(want, 'int')}) x`;
}

/**
 * The matches of `ticket_search s` in the range whose key is `range` (a tsquery), at or below number
 * `upTo`; `from` gives the range's first number (SQL, asked for only when the ticket is checked).
 */
function rangeConditions(search: WindowSearch, range: string, from: () => string, upTo: string, p: SqlParams, last = upTo): string[] {
  const first = search.openStatuses?.length ? from() : null;
  const conditions = matchConditions(search, range, upTo, p, first, last);
  const where = search.where(p);
  // The match's ticket by its number, within the range: PostgreSQL may then read the tickets the
  // conditions select in that range from a (condition, number) index alone and hash them (a view's
  // open statuses: a few thousand index entries), instead of looking up each match's ticket row —
  // or, unbounded, joining every ticket in those statuses.
  if (where.length) conditions.push(`EXISTS (SELECT 1 FROM tickets t WHERE t.number = s.number AND t.number >= ${first ?? from()} AND t.number <= ${upTo} AND ${where.join(' AND ')})`);
  return conditions;
}

/**
 * The conditions of rangeConditions on `ticket_search s` alone (the words, the range, the open
 * documents, the open statuses from `first` to `last`: SQL), not on the ticket row.
 */
function matchConditions(search: WindowSearch, range: string, upTo: string, p: SqlParams, first: string | null = null, last = upTo): string[] {
  const conditions = [docMatchSql(search.doc, `(${searchQuerySql(search.text, search.customerId, p)} && ${range})`, p), `s.number <= ${upTo}`];
  if (search.except !== null) conditions.push(`s.number <> ${p.add(search.except, 'bigint')}`);
  if (search.onlyOpen) conditions.push('s.open');
  if (search.openStatuses?.length && first !== null) conditions.push(openStatusSql(search.openStatuses, first, last, p));
  return conditions;
}

/**
 * The match's ticket is in one of `statuses` (open ones): its number is among theirs in
 * `open_ticket_statuses` between `first` and `last` (SQL), the step's (sub-)range. PostgreSQL reads those
 * numbers once (the table's key, a few hundred narrow pages at most) and hashes them, instead of
 * looking up each match's ticket row (an index probe of ≈ 3 pages a match, most of a status
 * search's buffers: bench/README.md, "A search with open statuses by number range").
 */
function openStatusSql(statuses: readonly string[], first: string, last: string, p: SqlParams): string {
  return `s.number IN (SELECT o.number FROM open_ticket_statuses o WHERE o.number >= ${first} AND o.number <= ${last} AND o.status = ANY (${p.add(statuses, 'text[]')}))`;
}

/**
 * The ticket of match `alias` meets the conditions `where` (on `tickets t`): a scalar subquery, which
 * PostgreSQL runs for each match as it comes (by the ticket's number, an index probe of a few pages)
 * and never turns into a join.
 */
function ticketCheckSql(alias: string, where: readonly string[]): string {
  return `(SELECT true FROM tickets t WHERE t.number = ${alias}.number AND ${where.join(' AND ')})`;
}

/** The document a match `alias` is ranked on: the one it was found in. */
function rankedDocSql(doc: SearchDoc, alias: string, p: SqlParams): string {
  if (typeof doc === 'string') return `${alias}.${doc}`;
  return `CASE WHEN ${inCategories(doc.staffDocCategories, alias, p)} THEN ${alias}.staff_doc ELSE ${alias}.public_doc END`;
}

/** Best first; equal ranks newest first. */
export function compareRanked(a: RankedMatch, b: RankedMatch): number {
  const byRank = Number(b.rank) - Number(a.rank);
  if (byRank !== 0) return byRank;
  return BigInt(b.number) > BigInt(a.number) ? 1 : BigInt(b.number) < BigInt(a.number) ? -1 : 0;
}
