import { walkRanges } from './ticket-search';

/**
 * A walk over a fake index: `matches` are the numbers that match; a step finds those in its range
 * (at or below `upTo`, within the range of its level) and reads every one of them, as a GIN step does.
 */
async function walk(matches: number[], from: number, wanted: number, thinning = false) {
  const sorted = [...matches].sort((a, b) => b - a);
  const found: number[] = [];
  const reads: number[] = [];
  const covered: Array<[number, number]> = [];
  await walkRanges(BigInt(from), wanted, async (level, upTo, want) => {
    const size = 10 ** [3, 4, 5, 6, 7][level];
    const first = Math.floor(Number(upTo) / size) * size;
    covered.push([first, Number(upTo)]);
    const inRange = sorted.filter((n) => n >= first && n <= Number(upTo));
    reads.push(inRange.length);
    const kept = inRange.slice(0, want);
    found.push(...kept);
    return { found: kept.length, newest: kept.length ? BigInt(kept[0]) : null };
  }, thinning);
  return { found, reads, covered };
}

const every = (step: number, upTo: number, from = 1) => Array.from({ length: Math.floor((upTo - from) / step) + 1 }, (_v, i) => from + i * step);

describe('walkRanges', () => {
  it.each([
    ['a common word', every(3, 1_000_000)],
    ['a medium word', every(97, 1_000_000)],
    ['a rare word', [5, 77_777, 123_456, 999_001]],
    ['no match', []],
    ['a common word below 1,642 newest tickets without it', every(3, 1_000_000)],
    ['one stray match on top of them', [1_001_500, ...every(3, 1_000_000)]],
  ])('%s: finds exactly the newest wanted, ranges adjacent down from the start', async (_label, matches) => {
    const from = 1_001_642;
    const { found, covered } = await walk(matches, from, 200);
    expect(found).toEqual([...matches].sort((a, b) => b - a).slice(0, 200));
    // No number skipped or read twice: each range ends just below the previous one.
    expect(covered[0][1]).toBe(from);
    for (let i = 1; i < covered.length; i++) expect(covered[i][1]).toBe(covered[i - 1][0] - 1);
  });

  it('counts up to a cap the same way', async () => {
    const { found } = await walk(every(7, 500_000), 600_000, 1_000);
    expect(found).toHaveLength(1_000);
    expect(found[0]).toBe(every(7, 500_000).pop());
  });

  it('does not read every match of a common word when the newest tickets lack it', async () => {
    // 1,642 newest tickets without the word, one of them with it: the density seen over them says
    // nothing about the million below.
    for (const matches of [every(3, 1_000_000), [1_001_500, ...every(3, 1_000_000)], [1_000_000, ...every(3, 999_999)]]) {
      const { reads } = await walk(matches, 1_001_642, 200);
      expect(Math.max(...reads)).toBeLessThanOrEqual(3_400);
      expect(reads.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4_000);
    }
  });

  it('reaches the oldest match of a rare word in a few steps', async () => {
    const { found, covered } = await walk([5, 999_001], 1_001_642, 200);
    expect(found).toEqual([999_001, 5]);
    expect(covered.length).toBeLessThanOrEqual(6);
    expect(covered[covered.length - 1][0]).toBe(0);
  });

  describe('with a ticket filter whose tickets thin out below the newest (thinning)', () => {
    // A status's matches: dense in the newest 30,000 numbers (open tickets), 30 times sparser below.
    const status = [...every(10, 1_000_000, 970_001), ...every(300, 969_999)];

    it.each([
      ['thinning out below the newest', status],
      ['a common word, evenly spread', every(3, 1_000_000)],
      ['a rare word', [5, 77_777, 123_456, 999_001]],
      ['no match', []],
    ])('%s: still exactly the newest wanted, ranges adjacent', async (_label, matches) => {
      for (const wanted of [200, 3_200]) {
        const { found, covered } = await walk(matches, 1_000_084, wanted, true);
        expect(found).toEqual([...matches].sort((a, b) => b - a).slice(0, wanted));
        expect(covered[0][1]).toBe(1_000_084);
        for (let i = 1; i < covered.length; i++) expect(covered[i][1]).toBe(covered[i - 1][0] - 1);
      }
    });

    it('the last match below the dense part takes a few steps, not one empty 1,000 after another', async () => {
      // A status search's walk on the 1,000,000-ticket copy: 199 matches down to 885,000, the 200th at 858,500.
      const matches = [...every(100, 999_999, 999_001), ...every(214, 998_999, 990_001), ...every(630, 989_999, 900_001), 895_000, 885_000, 875_000, 858_500, ...every(5_000, 850_000)];
      const plain = await walk(matches, 1_000_084, 200);
      const thinning = await walk(matches, 1_000_084, 200, true);
      expect(thinning.found).toEqual(plain.found);
      expect(thinning.found[199]).toBe(858_500);
      expect(plain.covered.length).toBeGreaterThan(15);
      expect(thinning.covered.length).toBeLessThanOrEqual(6);
      expect(thinning.reads.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(220);
    });

    it('an evenly spread word walks as without it', async () => {
      for (const matches of [every(3, 1_000_000), every(97, 1_000_000)]) {
        expect((await walk(matches, 1_001_642, 200, true)).covered).toEqual((await walk(matches, 1_001_642, 200)).covered);
      }
    });
  });
});
