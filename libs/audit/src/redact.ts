/** Keys whose string values are secrets wherever they appear in an audited snapshot. */
const SECRET_KEY = /secret|password|^token$|^tokenHash$|^token_hash$/i;

export const REDACTED = '[redacted]';

/**
 * A copy of `value` fit for the audit log: a string (or strings) under a key that names a secret
 * (`secret`, `callbackSecret`, `token`, `password`, …) becomes "[redacted]". Callers pass views
 * that carry no secret already; this is the net under them, so a secret added to a view later
 * never reaches a table nobody can delete from.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => [
      key,
      SECRET_KEY.test(key) && (typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'))) ? REDACTED : redactSecrets(v),
    ]),
  );
}
