import { sameWebhookKey } from './webhook-secret';

/** How long a replaced secret stays valid when the caller does not say. */
export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** The longest overlap a rotation may ask for. */
export const MAX_ROTATION_OVERLAP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * One direction's secret and, during a rotation, the one it replaced with the time until which
 * that one is still accepted (verifying) or still added as a second signature (signing).
 */
export interface RotatingSecret {
  current: string | null;
  previous: string | null;
  previousUntil: Date | null;
}

export const NO_SECRET: RotatingSecret = { current: null, previous: null, previousUntil: null };

/** The secrets in force at `now`: the current one first, then the previous one while its overlap lasts. */
export function activeSecrets(secret: RotatingSecret, now: Date = new Date()): string[] {
  const active: string[] = [];
  if (secret.current !== null) active.push(secret.current);
  if (secret.previous !== null && secret.previousUntil !== null && secret.previousUntil.getTime() > now.getTime()) active.push(secret.previous);
  return active;
}

/**
 * The secret after a change. A new key becomes current and the one it replaces stays valid for
 * `overlapMs` (default a day; 0 drops it at once). No new key (omitted, or the same key again)
 * keeps the current one; an `overlapMs` given then only shortens a running overlap, never
 * lengthens it, so `0` ends it. Only one previous secret is kept: rotating again during an
 * overlap drops the oldest.
 */
export function rotateSecret(existing: RotatingSecret, next: string | undefined, overlapMs: number | undefined, now: Date = new Date()): RotatingSecret {
  const previousActive = existing.previous !== null && existing.previousUntil !== null && existing.previousUntil.getTime() > now.getTime();
  if (next === undefined || (existing.current !== null && sameWebhookKey(existing.current, next))) {
    if (!previousActive) return { current: existing.current, previous: null, previousUntil: null };
    if (overlapMs === undefined) return existing;
    const until = Math.min(existing.previousUntil!.getTime(), now.getTime() + overlapMs);
    return until > now.getTime() ? { ...existing, previousUntil: new Date(until) } : { current: existing.current, previous: null, previousUntil: null };
  }
  const overlap = overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS;
  if (existing.current === null || overlap <= 0) return { current: next, previous: null, previousUntil: null };
  return { current: next, previous: existing.current, previousUntil: new Date(now.getTime() + overlap) };
}
