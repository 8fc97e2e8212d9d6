import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@helpdesk/http';

/**
 * Opaque cursors carrying a JSON payload (sort keys, which sort, …) with a keyed checksum. The
 * checksum turns an edited, truncated or made-up cursor into a 400 naming `cursor` instead of a
 * query over whatever the client wrote. It is not a secret: a cursor only positions a list inside
 * what the caller may see anyway (every query still applies the caller's scope and filters).
 */
const KEY = 'helpdesk keyset cursor v1';
const MAC_BYTES = 12;

/** The checksum as text: compared as text, since base64 decoding would accept trailing junk. */
const mac = (body: string): Buffer => Buffer.from(createHmac('sha256', KEY).update(body).digest().subarray(0, MAC_BYTES).toString('base64url'));

export function encodeSignedCursor(payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body).toString()}`;
}

/** The payload of a cursor this API issued (and `accept` accepts); otherwise a 400 naming `cursor`. */
export function decodeSignedCursor<T>(cursor: string, accept: (payload: unknown) => payload is T): T {
  const [body, signature, extra] = cursor.split('.');
  if (body && signature && extra === undefined) {
    const given = Buffer.from(signature);
    const expected = mac(body);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      try {
        const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        if (accept(payload)) return payload;
      } catch {
        // not JSON: fall through
      }
    }
  }
  throw DomainError.invalid('cursor', 'is not a cursor this API returned for this list');
}
