import { shouldYieldToTriage, YieldInput } from './auto-assignment-mail-yield';

describe('shouldYieldToTriage', () => {
  const base: YieldInput = { triageWaiting: 0, yieldAbove: 500, sinceLastRunMs: 5_000, maxDeferMs: 60_000 };
  const decide = (change: Partial<YieldInput>) => shouldYieldToTriage({ ...base, ...change });

  it('runs when triage has no backlog, or one at the threshold', () => {
    expect(decide({ triageWaiting: 0 })).toBe(false);
    expect(decide({ triageWaiting: 500 })).toBe(false);
  });

  it('skips the run while more than the threshold wait and the last run is recent', () => {
    expect(decide({ triageWaiting: 501 })).toBe(true);
    expect(decide({ triageWaiting: 20_000, sinceLastRunMs: 59_999 })).toBe(true);
  });

  it('runs once the last run is the maximum deferral ago or more, backlog or not', () => {
    expect(decide({ triageWaiting: 20_000, sinceLastRunMs: 60_000 })).toBe(false);
    expect(decide({ triageWaiting: 20_000, sinceLastRunMs: 3_600_000 })).toBe(false);
  });

  it('never skips with a maximum deferral of 0', () => {
    expect(decide({ triageWaiting: 20_000, sinceLastRunMs: 0, maxDeferMs: 0 })).toBe(false);
  });

  it('with a threshold of 0, any waiting job is a backlog', () => {
    expect(decide({ yieldAbove: 0, triageWaiting: 1 })).toBe(true);
    expect(decide({ yieldAbove: 0, triageWaiting: 0 })).toBe(false);
  });
});
