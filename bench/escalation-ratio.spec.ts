import { deliveryRatio, referenceRuns } from './escalation-ratio';

describe('referenceRuns', () => {
  it('takes the median of an odd number of runs, whatever their order, with the spread around it', () => {
    const r = referenceRuns([4_650, 3_351, 4_000]);
    expect(r).toEqual({ runs: 3, median: 4_000, slowest: 3_351, fastest: 4_650, spread: (4_650 - 3_351) / 4_000 });
  });

  it('takes the mean of the middle two of an even number', () => {
    expect(referenceRuns([1_000, 4_000, 2_000, 3_000]).median).toBe(2_500);
  });

  it('has no spread for one run', () => {
    expect(referenceRuns([3_000])).toMatchObject({ median: 3_000, slowest: 3_000, fastest: 3_000, spread: 0 });
  });

  it('refuses no runs and rates that are not positive', () => {
    expect(() => referenceRuns([])).toThrow(/positive/);
    expect(() => referenceRuns([3_000, 0])).toThrow(/positive/);
    expect(() => referenceRuns([3_000, Number.NaN])).toThrow(/positive/);
    expect(() => referenceRuns([Number.POSITIVE_INFINITY])).toThrow(/positive/);
  });
});

describe('deliveryRatio', () => {
  it('gives the delivered rate against the median, the slowest and the fastest reference run', () => {
    const ratio = deliveryRatio(2_000, referenceRuns([5_000, 4_000, 3_200]));
    expect(ratio.ofMedian).toBeCloseTo(0.5);
    expect(ratio.ofSlowest).toBeCloseTo(0.625);
    expect(ratio.ofFastest).toBeCloseTo(0.4);
  });
});
