import { createHmac, timingSafeEqual } from 'node:crypto';

const SCHEME = 'sha256=';
const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/i;

/** The signature header value for `body`: `sha256=<hex HMAC-SHA256 of the body>`. */
export function signBody(body: string | Buffer, secret: string): string {
  return `${SCHEME}${hmac(body, secret).toString('hex')}`;
}

/**
 * Whether `header` is the signature of `body` under `secret`. Compares in constant time; a
 * missing, malformed or wrong-length header is simply not valid (never throws for it).
 */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  const expected = hmac(body, secret);
  if (typeof header !== 'string') return false;
  const match = SIGNATURE_HEADER.exec(header.trim());
  if (match === null) return false;
  const given = Buffer.from(match[1], 'hex');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

function hmac(body: string | Buffer, secret: string): Buffer {
  if (secret.length === 0) throw new RangeError('The signing secret must not be empty');
  return createHmac('sha256', secret).update(body).digest();
}
