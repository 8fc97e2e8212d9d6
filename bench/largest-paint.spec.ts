import { largestPaintBy } from './largest-paint';

describe("largestPaintBy (the inbox's LCP by the moment its first row was painted)", () => {
  const shell = { startTime: 410, element: 'h1 "Inbox"' };
  const sidebar = { startTime: 620, element: 'span.view-name "Breaching within 2 business hours"' };

  it('takes the last candidate painted at or before the rows, the one in their own frame included', () => {
    expect(largestPaintBy([shell, sidebar], 620)).toBe(sidebar);
    expect(largestPaintBy([shell, sidebar], 700)).toBe(sidebar);
  });

  it('leaves out a candidate painted after the rows (a sidebar answered after the list)', () => {
    expect(largestPaintBy([shell, sidebar], 500)).toBe(shell);
  });

  it('of two candidates in one frame takes the later reported, which the browser reports because it is larger', () => {
    const rowsFrame = { startTime: 620, element: 'span.subject "Exchange Online mail flow keeps breaking"' };
    expect(largestPaintBy([shell, sidebar, rowsFrame], 620)).toBe(rowsFrame);
  });

  it('says there is none when the browser reported no candidate by then, instead of a 0', () => {
    expect(largestPaintBy([], 620)).toBeUndefined();
    expect(largestPaintBy([sidebar], 500)).toBeUndefined();
  });
});
