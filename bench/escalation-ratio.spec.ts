import { deliveryRatio, referenceRuns } from './escalation-ratio';
import { perJob, redisCommandCalls, redisCommandUsec } from './redis-commands';

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

describe('redisCommandCalls and perJob', () => {
  const before = redisCommandCalls('# Commandstats\r\ncmdstat_evalsha:calls=100,usec=5,usec_per_call=0.05,rejected_calls=0,failed_calls=0\r\ncmdstat_info:calls=3,usec=1\r\ncmdstat_lpos:calls=10,usec=1\r\n');
  const after = redisCommandCalls('# Commandstats\r\ncmdstat_evalsha:calls=400,usec=9\r\ncmdstat_info:calls=9,usec=1\r\ncmdstat_lpos:calls=10,usec=1\r\ncmdstat_hgetall:calls=50,usec=1\r\ncmdstat_client|setname:calls=2,usec=1\r\n');

  it('reads each command’s calls, subcommands included', () => {
    expect(before).toEqual({ evalsha: 100, info: 3, lpos: 10 });
    expect(after['client|setname']).toBe(2);
  });

  it('gives the calls per job of the commands that ran, most called first, without the readings themselves', () => {
    expect(perJob(before, after, 100)).toEqual({ total: 3.52, top: [['evalsha', 3], ['hgetall', 0.5], ['client|setname', 0.02]], all: { evalsha: 3, hgetall: 0.5, 'client|setname': 0.02 } });
    expect(perJob(before, after, 100, 1).top).toEqual([['evalsha', 3]]);
  });

  it('reads each command’s CPU µs, which perJob turns into µs per job', () => {
    const usBefore = redisCommandUsec('# Commandstats\r\ncmdstat_evalsha:calls=100,usec=500,usec_per_call=5.00\r\ncmdstat_hincrby:calls=100,usec=40\r\ncmdstat_info:calls=3,usec=90\r\n');
    const usAfter = redisCommandUsec('# Commandstats\r\ncmdstat_evalsha:calls=300,usec=1700,usec_per_call=5.67\r\ncmdstat_hincrby:calls=300,usec=120\r\ncmdstat_info:calls=4,usec=130\r\n');
    expect(usBefore).toEqual({ evalsha: 500, hincrby: 40, info: 90 });
    expect(perJob(usBefore, usAfter, 100)).toEqual({ total: 12.8, top: [['evalsha', 12], ['hincrby', 0.8]], all: { evalsha: 12, hincrby: 0.8 } });
    expect(redisCommandUsec('# Commandstats\r\n')).toEqual({});
  });
});
