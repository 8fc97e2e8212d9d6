import { rssTrend, theilSenSlope } from './rss-trend';

const MIB = 2 ** 20;
/** One sample every 10 s for `minutes`, `rss(at)` in MiB. */
const soak = (minutes: number, rss: (at: number, i: number) => number) =>
  Array.from({ length: minutes * 6 + 1 }, (_, i) => ({ at: i * 10, rss: rss(i * 10, i) * MIB }));

describe('theilSenSlope', () => {
  it('is the slope of points on a line', () => {
    expect(theilSenSlope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBe(2);
  });

  it('is not tilted by one outlier', () => {
    const points = Array.from({ length: 11 }, (_, x) => ({ x, y: x === 10 ? 1_000 : 5 }));
    expect(theilSenSlope(points)).toBe(0);
  });

  it('is 0 for fewer than two distinct x', () => {
    expect(theilSenSlope([])).toBe(0);
    expect(theilSenSlope([{ x: 1, y: 1 }, { x: 1, y: 9 }])).toBe(0);
  });
});

describe('rssTrend', () => {
  const options = { warmupS: 120, maxMiBPerMinute: 1 };

  it('calls a leak of 3 MiB a minute rising', () => {
    const trend = rssTrend(soak(10, (at) => 150 + (3 * at) / 60), options);
    expect(trend.rising).toBe(true);
    expect(trend.slopeMiBPerMinute).toBeCloseTo(3, 5);
    expect(trend.firstMiB).toBeCloseTo(156, 5);
    expect(trend.lastMiB).toBeCloseTo(180, 5);
    expect(trend.samples).toBe(49);
  });

  it('does not call a garbage collector sawtooth around a level rising', () => {
    // Climbs 20 MiB over a minute, then drops back: what a steady heap looks like.
    const trend = rssTrend(soak(10, (_, i) => 160 + (i % 6) * 4), options);
    expect(trend.rising).toBe(false);
    expect(Math.abs(trend.slopeMiBPerMinute)).toBeLessThan(1);
    expect(trend.peakMiB).toBe(180);
  });

  it('ignores the warm-up, where the heap grows to its size', () => {
    const trend = rssTrend(soak(10, (at) => (at < 120 ? 80 + at : 200)), options);
    expect(trend.rising).toBe(false);
    expect(trend.slopeMiBPerMinute).toBe(0);
  });

  it('does not decide on fewer than three samples after the warm-up', () => {
    // Two samples (590 s and 600 s) climbing 60 MiB a minute: too few to call a trend.
    const trend = rssTrend(soak(10, (at) => at), { warmupS: 590, maxMiBPerMinute: 1 });
    expect(trend.samples).toBe(2);
    expect(trend.slopeMiBPerMinute).toBe(60);
    expect(trend.rising).toBe(false);
  });

  it('leaves out samples of a process that was gone (0 bytes)', () => {
    const trend = rssTrend(soak(10, (at) => (at === 300 ? 0 : 150)), options);
    expect(trend.samples).toBe(48);
    expect(trend.rising).toBe(false);
  });
});
