/**
 * A token a client chooses and sends in a header (an Idempotency-Key, a webhook id) that we store
 * and compare: visible ASCII only, 1–200 characters, so it is safe to log, index and echo back.
 */
export function isHeaderToken(value: string): boolean {
  return /^[\x21-\x7e]{1,200}$/.test(value);
}
