import { randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Standard Webhooks asks for keys of 24 to 64 random bytes. */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

const FORM = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** What a person is told when a secret is not in the `whsec_<base64>` form. */
export const WEBHOOK_SECRET_FORM = `whsec_ followed by the base64 (with its = padding) of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes, e.g. whsec_$(openssl rand -base64 32)`;

/**
 * The key bytes of a `whsec_<base64>` secret, or why it is not one. The base64 must be canonical
 * (what encoding its bytes gives back, padding included) so that one key has one spelling and the
 * standardwebhooks package decodes it exactly as this does.
 */
export function parseWebhookSecret(value: unknown): { key: Buffer } | { problem: string } {
  if (typeof value !== 'string') return { problem: 'must be a string' };
  const match = FORM.exec(value);
  if (match === null) return { problem: `must be ${WEBHOOK_SECRET_FORM}` };
  const key = Buffer.from(match[1], 'base64');
  if (key.toString('base64') !== match[1]) return { problem: `is not valid base64 after whsec_: it must be ${WEBHOOK_SECRET_FORM}` };
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    return { problem: `must encode ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes (this one has ${key.length})` };
  }
  return { key };
}

/** A fresh secret of `bytes` random bytes, in the `whsec_<base64>` form. */
export function generateWebhookSecret(bytes = 32): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(bytes).toString('base64')}`;
}

/**
 * Whether two stored secrets are the same key (compared as bytes, so two spellings of one key
 * are equal). Stored secrets that predate the whsec_ rules are compared the same way.
 */
export function sameWebhookKey(a: string, b: string): boolean {
  const x = keyBytes(a);
  const y = keyBytes(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function keyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, 'base64');
}
