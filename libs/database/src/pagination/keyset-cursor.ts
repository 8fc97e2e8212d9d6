import { DomainError } from '@helpdesk/http';

/**
 * Opaque keyset-pagination cursors over a bigint sequence column (newest first: `number < cursor`).
 * The cursor is base64url JSON so it can grow fields without breaking clients.
 */
export const encodeKeysetCursor = (number: string): string => Buffer.from(JSON.stringify({ n: number })).toString('base64url');

/** The number a cursor carries; a 400 naming `cursor` for anything this API did not issue. */
export function decodeKeysetCursor(cursor: string): string {
  try {
    const { n } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { n?: unknown };
    if (typeof n === 'string' && /^\d{1,19}$/.test(n)) return n;
  } catch {
    // not JSON: fall through
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API returned');
}
