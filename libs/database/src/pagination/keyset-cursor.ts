import { DomainError } from '@helpdesk/http';

/**
 * Opaque keyset-pagination cursors over a bigint sequence column (newest first: `number < cursor`).
 * The cursor is base64url JSON so it can grow fields without breaking clients.
 */
export const encodeKeysetCursor = (number: string): string => Buffer.from(JSON.stringify({ n: number })).toString('base64url');

/** The largest value of a PostgreSQL bigint: a larger cursor would fail the query (500), not page. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The number a cursor carries; a 400 naming `cursor` for anything this API did not issue. */
export function decodeKeysetCursor(cursor: string): string {
  try {
    const { n } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { n?: unknown };
    if (typeof n === 'string' && /^\d{1,19}$/.test(n) && BigInt(n) <= MAX_BIGINT) return n;
  } catch {
    // not JSON: fall through
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API returned');
}
