import { legsOf, splitLatency, EscalationInstants } from './escalation-legs';

/** An escalation sent at `sent` whose legs took these ms, in order. */
const at = (sent: number, legs: [number, number, number, number, number]): EscalationInstants => {
  const [a, b, c, d, e] = legs;
  return { sent, created: sent + a, relayed: sent + a + b, picked: sent + a + b + c, begun: sent + a + b + c + d, received: sent + a + b + c + d + e };
};

describe('legsOf', () => {
  it('gives each leg between consecutive instants, summing to POST → delivered', () => {
    const legs = legsOf(at(1_000, [3, 7, 1, 2, 4]));
    expect(legs).toEqual({ postToInsert: 3, insertToRelayed: 7, relayedToPicked: 1, pickedToBegun: 2, begunToReceived: 4 });
    expect(Object.values(legs).reduce((a, b) => a + b, 0)).toBe(17);
  });
});

describe('splitLatency', () => {
  it('puts the slowest 1 % apart and names the leg that made them slow', () => {
    // 199 escalations at 10 ms each, 1 whose relay took 200 ms: 200 → the slowest 1 % is 2 escalations.
    const all = Array.from({ length: 199 }, (_, k) => at(k * 10, [2, 2, 2, 2, 2]));
    all.push(at(5_000, [2, 200, 2, 2, 2]));
    const split = splitLatency(all);
    expect(split.escalations).toBe(200);
    expect(split.slowest).toHaveLength(2);
    expect(split.slowest[1]).toEqual({ totalMs: 208, sentAtS: 5, postToInsert: 2, insertToRelayed: 200, relayedToPicked: 2, pickedToBegun: 2, begunToReceived: 2 });
    expect(split.legsMs.insertToRelayed).toEqual({ p50: 2, p99: 2, slowestOnePercentMean: 101 });
    expect(split.legsMs.postToInsert).toEqual({ p50: 2, p99: 2, slowestOnePercentMean: 2 });
  });

  it('leaves out an escalation with a missing instant (no attempt row, no job kept)', () => {
    const split = splitLatency([at(0, [1, 1, 1, 1, 1]), { ...at(10, [1, 1, 1, 1, 1]), begun: NaN }]);
    expect(split.escalations).toBe(1);
  });

  it('refuses a run where no escalation has all its instants', () => {
    expect(() => splitLatency([{ ...at(0, [1, 1, 1, 1, 1]), picked: NaN }])).toThrow('no escalation has all its instants');
  });
});
