/**
 * The inbox's Largest Contentful Paint as the browser had it when the first row was on screen.
 *
 * Chromium creates an LCP entry only once the frame that painted the element has been presented (the
 * compositor's feedback), and hands it to a PerformanceObserver in a task of its own after that. Read two
 * animation frames after the rows entered the DOM (the bench before), the entry of a page that paints its
 * shell, sidebar and rows in one frame (the warm inbox) had often not been handed over yet: the bench read
 * no LCP (0) in most warm runs. The bench now marks the first row's subject cell for Element Timing
 * (`elementtiming`, set as the row enters the DOM, before its first paint): its entry comes from the same
 * presentation feedback as the LCP entries of that frame, so once it is in, every LCP candidate up to the
 * rows' paint is known (the observer's pending records taken with `takeRecords()`).
 */
export interface PaintEntry {
  /** the entry's startTime: when its frame was presented, ms after navigation */
  startTime: number;
  /** the element, described for the output */
  element: string;
}

/**
 * The LCP of a page by the moment its rows were painted: the last candidate the browser reported in a frame
 * at or before `rowsPaintedMs` (each candidate is larger than the one before it). An element painted later
 * (a sidebar whose answer came after the list) is not the rows' paint and is left out; undefined when the
 * browser reported no candidate by then.
 */
export function largestPaintBy(entries: readonly PaintEntry[], rowsPaintedMs: number): PaintEntry | undefined {
  let found: PaintEntry | undefined;
  for (const entry of entries) if (entry.startTime <= rowsPaintedMs && (!found || entry.startTime >= found.startTime)) found = entry;
  return found;
}
