import { ESCALATION_BACKOFF_CAP_MS, ESCALATION_DELIVERY_DEFAULTS, backoffDelay } from './backoff';

const HOUR = 3_600_000;
const ALMOST_ONE = 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('has named defaults: 8 attempts from a 10 s base, capped at one hour', () => {
    expect(ESCALATION_DELIVERY_DEFAULTS).toEqual({ attempts: 8, baseDelayMs: 10_000 });
    expect(ESCALATION_BACKOFF_CAP_MS).toBe(HOUR);
  });

  it.each<[number, number, number]>([
    // [attemptsMade, lowest (random = 0), highest (random ≈ 1)] with the 10 s default base
    [1, 5_000, 10_000],
    [2, 10_000, 20_000],
    [3, 20_000, 40_000],
    [4, 40_000, 80_000],
    [5, 80_000, 160_000],
    [6, 160_000, 320_000],
    [7, 320_000, 640_000],
    [8, 640_000, 1_280_000],
    [9, 1_280_000, 2_560_000],
    [10, 1_800_000, HOUR], // 10 s * 2^9 = 5120 s, over the cap
    [11, 1_800_000, HOUR],
    [50, 1_800_000, HOUR],
    [2000, 1_800_000, HOUR], // 2^1999 overflows to Infinity; the cap still holds
  ])('attempt %i waits between %i and %i ms', (attempt, lowest, highest) => {
    const base = ESCALATION_DELIVERY_DEFAULTS.baseDelayMs;
    expect(backoffDelay(attempt, base, () => 0)).toBe(lowest);
    expect(backoffDelay(attempt, base, () => ALMOST_ONE)).toBe(highest);
    expect(backoffDelay(attempt, base, () => 0.5)).toBe(Math.round(highest * 0.75));
  });

  it('always stays within 50%..100% of the exponential step and under the cap', () => {
    const randoms = [0, 0.1, 0.333, 0.5, 0.9, 0.999999, ALMOST_ONE, 1];
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const step = Math.min(1_000 * 2 ** (attempt - 1), HOUR);
      for (const r of randoms) {
        const delay = backoffDelay(attempt, 1_000, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
  });

  it('uses Math.random by default', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(backoffDelay(3, 1_000)).toBe(2_000);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('caps a base that alone exceeds one hour', () => {
    expect(backoffDelay(1, 2 * HOUR, () => ALMOST_ONE)).toBe(HOUR);
    expect(backoffDelay(1, 2 * HOUR, () => 0)).toBe(HOUR / 2);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects attemptsMade = %p', (attempt) => {
    expect(() => backoffDelay(attempt, 1_000, () => 0)).toThrow(
      new RangeError(`attemptsMade must be an integer >= 1, got ${attempt}`),
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects baseMs = %p', (base) => {
    expect(() => backoffDelay(1, base, () => 0)).toThrow(new RangeError(`baseMs must be a finite number > 0, got ${base}`));
  });

  it.each([-0.1, 1.5, Number.NaN])('rejects a random source returning %p', (r) => {
    expect(() => backoffDelay(1, 1_000, () => r)).toThrow(new RangeError(`random() must return a number in [0, 1), got ${r}`));
  });
});
