/** The longest a delivery ever waits between two attempts. */
export const ESCALATION_BACKOFF_CAP_MS = 60 * 60 * 1000;

/** Retry policy of escalation deliveries to the vendor. */
export const ESCALATION_DELIVERY_DEFAULTS = { attempts: 8, baseDelayMs: 10_000 } as const;

/**
 * Delay before the next delivery attempt after `attemptsMade` (1-based) failed ones:
 * base * 2^(attemptsMade - 1), capped at one hour, then jittered to between 50% and 100% of it.
 * `random` must return a number in [0, 1), like Math.random.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be an integer >= 1, got ${attemptsMade}`);
  }
  if (!Number.isFinite(baseMs) || baseMs <= 0) {
    throw new RangeError(`baseMs must be a finite number > 0, got ${baseMs}`);
  }
  const r = random();
  if (!(r >= 0 && r <= 1)) throw new RangeError(`random() must return a number in [0, 1), got ${r}`);

  // 2 ** large overflows to Infinity, which the cap absorbs.
  const ceiling = Math.min(baseMs * 2 ** (attemptsMade - 1), ESCALATION_BACKOFF_CAP_MS);
  return Math.round(ceiling * (0.5 + 0.5 * r));
}
