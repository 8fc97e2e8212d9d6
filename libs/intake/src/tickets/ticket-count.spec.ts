import { SqlParams } from '@helpdesk/database';
import { rangeCountSql, rangeStepSql, WindowSearch } from './ticket-search';

describe("a search step checks the filter on each match's ticket by number, within the step's range", () => {
  const search: WindowSearch = { doc: 'staff_doc', text: 'factura', customerId: undefined, except: null, where: () => [`t.status = 'triaged'`], onlyOpen: true };

  it('a count', () => {
    const p = new SqlParams();
    // The range of 10^4 holding 12,345: 10,000 … 12,345.
    const text = rangeCountSql(search, 1, 12_345n, 1000, p);
    expect(text).toMatch(/EXISTS \(SELECT 1 FROM tickets t WHERE t\.number = s\.number AND t\.number >= \$(\d+)::bigint AND t\.number <= \$(\d+)::bigint AND t\.status = 'triaged'\)/);
    const [, low, high] = /t\.number >= \$(\d+)::bigint AND t\.number <= \$(\d+)::bigint/.exec(text)!;
    expect([p.values[Number(low) - 1], p.values[Number(high) - 1]]).toEqual(['10000', '12345']);
  });

  it("a page: the range's matches newest first, each one's ticket checked by its number as it comes (never a semi-join)", () => {
    const p = new SqlParams();
    const text = rangeStepSql(search, 1, 12_345n, 1000, p);
    expect(text).not.toContain('EXISTS');
    expect(text).toMatch(/WHERE \(SELECT true FROM tickets t WHERE t\.number = c\.number AND t\.status = 'triaged'\) ORDER BY c\.number DESC LIMIT/);
    const [, high] = /s\.number <= \$(\d+)::bigint/.exec(text)!;
    const [, low] = /s\.number >= \$(\d+)::bigint ORDER BY s\.number DESC OFFSET 0/.exec(text)!;
    expect([p.values[Number(low) - 1], p.values[Number(high) - 1]]).toEqual(['10000', '12345']);
  });

  it('a page read by sub-ranges: those of 10^3 in that range, newest first, each bounding the ticket', () => {
    const p = new SqlParams();
    const text = rangeStepSql(search, 1, 12_345n, 1000, p, true);
    expect(text).toMatch(/EXISTS \(SELECT 1 FROM tickets t WHERE t\.number = s\.number AND t\.number >= r\.sub \* 1000 AND t\.number <= \$(\d+)::bigint AND t\.status = 'triaged'\)/);
    const [, high] = /t\.number <= \$(\d+)::bigint/.exec(text)!;
    expect(p.values[Number(high) - 1]).toBe('12345');
    const [, first, last] = /generate_series\(\$(\d+)::bigint, \$(\d+)::bigint, -1\)/.exec(text)!;
    expect([p.values[Number(first) - 1], p.values[Number(last) - 1]]).toEqual(['12', '10']);
  });

  it('no condition on the ticket, no lookup of it', () => {
    expect(rangeCountSql({ ...search, where: () => [] }, 1, 12_345n, 1000, new SqlParams())).not.toContain('FROM tickets');
  });
});
