import { DomainError } from '@helpdesk/http';
import { SearchTerms, SqlParams } from './ticket-list-query';

/**
 * Full-text search over tickets (`q`): the words in web-search syntax ("quoted phrase", -word,
 * or), over the documents of `ticket_search` (ticket-search.sql: subject, description and comments,
 * English and Spanish stemming, accents ignored), plus the ticket number when q is one ("HD-000123",
 * "#123" or "123").
 *
 * Relevance: ranking every match of a common word ("error" is in a quarter of all tickets) costs
 * far more than a page (bench/README.md, "Search"). Matches are therefore ranked in windows of the
 * RELEVANCE_WINDOW newest: the newest matches ranked best first, then the next older window ranked,
 * and so on. A ticket whose number q is comes first of all.
 */
export const RELEVANCE_WINDOW = 500;

const NUMBER_ONLY = /^(?:hd-?|#)\s*0*(\d{1,18})$/i;
const DIGITS = /^0*(\d{1,18})$/;
const WORD = /[\p{L}\p{N}]/u;

export function searchTerms(q: string): SearchTerms {
  const trimmed = q.trim();
  if (!WORD.test(trimmed)) throw DomainError.invalid('q', 'must contain a word or a ticket number');
  const prefixed = NUMBER_ONLY.exec(trimmed);
  if (prefixed) return { text: null, number: prefixed[1] === '0' ? null : prefixed[1] };
  const digits = DIGITS.exec(trimmed);
  return { text: trimmed, number: digits && digits[1] !== '0' ? digits[1] : null };
}

/** A window of the newest matches: where it starts, the ids and numbers with their rank. */
export interface RankedMatch {
  ticket_id: string;
  number: string;
  /** ts_rank as PostgreSQL prints a real: exact, so the cursor compares it exactly. */
  rank: string;
}

/**
 * The RELEVANCE_WINDOW newest matches with a number below `below`, ranked. `where` are conditions
 * on the ticket `t` (the filters besides the search), `customerId` the customer scope if any.
 * The documents are read out of line only for the window's rows.
 */
export function relevanceWindowSql(
  doc: 'staff_doc' | 'public_doc',
  text: string,
  below: string,
  except: string | null,
  customerId: string | undefined,
  where: readonly string[],
  p: SqlParams,
): string {
  const query = p.add(text);
  const conditions = [`s.${doc} @@ ticket_search_query(${query})`, `s.number < ${p.add(below, 'bigint')}`];
  if (except !== null) conditions.push(`s.number <> ${p.add(except, 'bigint')}`);
  if (customerId) conditions.push(`s.customer_id = ${p.add(customerId, 'uuid')}`);
  if (where.length) conditions.push(`EXISTS (SELECT 1 FROM tickets t WHERE t.id = s.ticket_id AND ${where.join(' AND ')})`);
  return `
    WITH win AS (
      SELECT s.ticket_id, s.number FROM ticket_search s
       WHERE ${conditions.join(' AND ')}
       ORDER BY s.number DESC LIMIT ${RELEVANCE_WINDOW}
    )
    SELECT w.ticket_id, w.number::text AS number, ts_rank(s.${doc}, ticket_search_query(${query}), 1)::text AS rank
      FROM win w JOIN ticket_search s ON s.ticket_id = w.ticket_id`;
}

/** Best first; equal ranks newest first. */
export function compareRanked(a: RankedMatch, b: RankedMatch): number {
  const byRank = Number(b.rank) - Number(a.rank);
  if (byRank !== 0) return byRank;
  return BigInt(b.number) > BigInt(a.number) ? 1 : BigInt(b.number) < BigInt(a.number) ? -1 : 0;
}
