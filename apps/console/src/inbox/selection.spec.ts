import { describe, expect, it } from '@jest/globals';
import { EMPTY_SELECTION, keepListed, toggleAll, toggleRow } from './selection';

const ids = ['a', 'b', 'c', 'd', 'e'];
const selected = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('inbox selection', () => {
  it('toggles one row and remembers it as the anchor', () => {
    const one = toggleRow(EMPTY_SELECTION, ids, 1, false);
    expect(selected(one)).toEqual(['b']);
    expect(one.anchor).toBe(1);
    expect(selected(toggleRow(one, ids, 1, false))).toEqual([]);
  });

  it('shift-click selects the range from the anchor, in either direction', () => {
    const anchored = toggleRow(EMPTY_SELECTION, ids, 1, false);
    expect(selected(toggleRow(anchored, ids, 3, true))).toEqual(['b', 'c', 'd']);
    const fromEnd = toggleRow(EMPTY_SELECTION, ids, 4, false);
    expect(selected(toggleRow(fromEnd, ids, 2, true))).toEqual(['c', 'd', 'e']);
  });

  it('shift-click clears the range when the anchor row was cleared', () => {
    let s = toggleAll(EMPTY_SELECTION, ids);
    s = toggleRow(s, ids, 0, false);
    expect(selected(toggleRow(s, ids, 2, true))).toEqual(['d', 'e']);
  });

  it('shift-click without an anchor toggles just that row', () => {
    expect(selected(toggleRow(EMPTY_SELECTION, ids, 2, true))).toEqual(['c']);
  });

  it('select all loaded selects every row, and clears them when all were selected', () => {
    const some = toggleRow(EMPTY_SELECTION, ids, 0, false);
    const all = toggleAll(some, ids);
    expect(selected(all)).toEqual(ids);
    expect(selected(toggleAll(all, ids))).toEqual([]);
    expect(selected(toggleAll(EMPTY_SELECTION, []))).toEqual([]);
  });

  it('drops ids no longer listed, keeping the same object when nothing changed', () => {
    const s = toggleAll(EMPTY_SELECTION, ids);
    expect(keepListed(s, ids)).toBe(s);
    expect(selected(keepListed(s, ['b', 'z']))).toEqual(['b']);
  });
});
