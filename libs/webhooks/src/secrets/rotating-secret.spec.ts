import { activeSecrets, DEFAULT_ROTATION_OVERLAP_MS, NO_SECRET, RotatingSecret, rotateSecret } from './rotating-secret';
import { generateWebhookSecret } from './webhook-secret';

describe('rotating secrets', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const [a, b, c] = [generateWebhookSecret(), generateWebhookSecret(), generateWebhookSecret()];

  it('sets a first secret without a previous one', () => {
    expect(rotateSecret(NO_SECRET, a, undefined, now)).toEqual({ current: a, previous: null, previousUntil: null });
  });

  it('keeps the replaced secret valid for a day by default, then drops it', () => {
    const rotated = rotateSecret({ current: a, previous: null, previousUntil: null }, b, undefined, now);
    expect(rotated).toEqual({ current: b, previous: a, previousUntil: later(DEFAULT_ROTATION_OVERLAP_MS) });
    expect(activeSecrets(rotated, later(DEFAULT_ROTATION_OVERLAP_MS - 1))).toEqual([b, a]);
    expect(activeSecrets(rotated, later(DEFAULT_ROTATION_OVERLAP_MS))).toEqual([b]);
  });

  it('takes the overlap it is given; 0 replaces at once', () => {
    expect(rotateSecret({ current: a, previous: null, previousUntil: null }, b, 60_000, now)).toEqual({ current: b, previous: a, previousUntil: later(60_000) });
    expect(rotateSecret({ current: a, previous: null, previousUntil: null }, b, 0, now)).toEqual({ current: b, previous: null, previousUntil: null });
  });

  it('rotating again during an overlap keeps only the secret just replaced', () => {
    const once = rotateSecret({ current: a, previous: null, previousUntil: null }, b, 60_000, now);
    expect(rotateSecret(once, c, 120_000, later(1000))).toEqual({ current: c, previous: b, previousUntil: later(121_000) });
  });

  it('the same key again, or none, is no rotation; an overlap given only shortens a running one', () => {
    const rotating: RotatingSecret = { current: b, previous: a, previousUntil: later(60_000) };
    expect(rotateSecret(rotating, b, undefined, now)).toEqual(rotating);
    expect(rotateSecret(rotating, undefined, undefined, now)).toEqual(rotating);
    expect(rotateSecret(rotating, undefined, 600_000, now)).toEqual(rotating);
    expect(rotateSecret(rotating, undefined, 10_000, now)).toEqual({ ...rotating, previousUntil: later(10_000) });
    expect(rotateSecret(rotating, b, 0, now)).toEqual({ current: b, previous: null, previousUntil: null });
  });

  it('forgets an expired previous secret', () => {
    expect(rotateSecret({ current: b, previous: a, previousUntil: now }, undefined, undefined, now)).toEqual({ current: b, previous: null, previousUntil: null });
    expect(activeSecrets({ current: null, previous: a, previousUntil: later(1) }, now)).toEqual([a]);
    expect(activeSecrets(NO_SECRET, now)).toEqual([]);
  });
});
