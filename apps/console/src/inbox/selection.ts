/**
 * The inbox's bulk selection as plain data: the selected ids and the row a shift-click extends
 * from. Pure, so the rules (a shift-click selects or clears the whole range like its anchor) are
 * tested without a browser.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  /** The index of the last row toggled without shift. */
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

/** Toggles row `index`; with `range`, sets every row from the anchor to it as the anchor row is now. */
export function toggleRow(selection: Selection, ids: readonly string[], index: number, range: boolean): Selection {
  const id = ids[index];
  if (id === undefined) return selection;
  const next = new Set(selection.ids);
  if (range && selection.anchor !== null && ids[selection.anchor] !== undefined) {
    const select = next.has(ids[selection.anchor]);
    const [from, to] = selection.anchor < index ? [selection.anchor, index] : [index, selection.anchor];
    for (let i = from; i <= to; i++) {
      if (select) next.add(ids[i]);
      else next.delete(ids[i]);
    }
    return { ids: next, anchor: selection.anchor };
  }
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return { ids: next, anchor: index };
}

/** Selects every loaded row, or clears them all when every one is selected already. */
export function toggleAll(selection: Selection, ids: readonly string[]): Selection {
  const all = ids.length > 0 && ids.every((id) => selection.ids.has(id));
  return all ? EMPTY_SELECTION : { ids: new Set(ids), anchor: selection.anchor };
}

/** Keeps only the ids still listed (a live refresh or a new filter may drop rows). */
export function keepListed(selection: Selection, ids: readonly string[]): Selection {
  const listed = new Set(ids);
  const kept = [...selection.ids].filter((id) => listed.has(id));
  return kept.length === selection.ids.size ? selection : { ids: new Set(kept), anchor: null };
}
