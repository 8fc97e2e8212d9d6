import { isSegmentKey, SORT_SEGMENTS } from './ticket-sort';

describe('sort segments', () => {
  it('due: the running clocks by due time, then everything else newest first; priority: that per priority', () => {
    expect(SORT_SEGMENTS.due.map((s) => s.direction)).toEqual(['ASC', 'DESC']);
    expect(SORT_SEGMENTS.priority).toHaveLength(8);
    expect(SORT_SEGMENTS.priority[0].where).toMatch(/^t\.priority = 'P1' AND /);
    expect(SORT_SEGMENTS.priority[7].where).toMatch(/^t\.priority = 'P4' AND NOT /);
    // Every segment ends on the number: keys are unique, so pages never skip or repeat ties.
    for (const segments of Object.values(SORT_SEGMENTS)) for (const s of segments) expect(s.keys[s.keys.length - 1].sql).toBe('t.number');
  });

  it('accepts keys as PostgreSQL prints them, and nothing else', () => {
    const [running, rest] = SORT_SEGMENTS.due;
    expect(isSegmentKey(running, ['2026-12-05 11:20:49.858123+00', '42'])).toBe(true);
    expect(isSegmentKey(running, ['2026-12-05 11:20:49+05:30', '42'])).toBe(true);
    expect(isSegmentKey(rest, ['42'])).toBe(true);
    expect(isSegmentKey(rest, ['9223372036854775807'])).toBe(true);
    for (const bad of [['9223372036854775808'], ['-1'], ['1e3'], [42], ['42', '43'], [], null, '42']) expect(isSegmentKey(rest, bad)).toBe(false);
    for (const bad of [['yesterday', '1'], ['2026-12-05', '1'], ['2026-12-05 11:20:49', '1; DROP TABLE tickets'], ['2026-12-05 11:20:49+00']]) {
      expect(isSegmentKey(running, bad)).toBe(false);
    }
  });
});
