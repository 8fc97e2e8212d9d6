import { SqlParams } from './sql-params';
import { openStatusesOnly } from './ticket-finder.service';
import { rangeCountSql, WindowSearch } from './ticket-search';

describe('a searching count checks each match when its only ticket condition is open statuses', () => {
  it.each([
    [{ q: 'factura', status: ['triaged', 'in_progress'] }, true],
    [{ q: 'factura', status: ['escalated'], customerId: 'c' }, true],
    [{ q: 'factura', status: ['triaged', 'closed'] }, false],
    [{ q: 'factura' }, false],
    [{ q: 'factura', status: ['triaged'], queues: ['vip'] }, false],
    [{ q: 'factura', status: ['triaged'], assigneeId: null }, false],
    [{ q: 'factura', status: ['triaged'], tags: ['outage'] }, false],
    [{ q: 'factura', slaDueWithin: { from: new Date(), untilByPlan: [] } }, false],
  ] as const)('%j → %s', (filter, expected) => {
    expect(openStatusesOnly(filter as Parameters<typeof openStatusesOnly>[0])).toBe(expected);
  });

  it('keeps the check a subplan (OFFSET 0) only when asked', () => {
    const search: WindowSearch = { doc: 'staff_doc', text: 'factura', customerId: undefined, except: null, where: () => [`t.status = 'triaged'`], onlyOpen: true };
    expect(rangeCountSql({ ...search, checkEachMatch: true }, 4, 1000n, 1000, new SqlParams())).toContain(`t.status = 'triaged' OFFSET 0)`);
    expect(rangeCountSql(search, 4, 1000n, 1000, new SqlParams())).not.toContain('OFFSET');
  });
});
