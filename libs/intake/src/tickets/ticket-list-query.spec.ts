import { SqlParams } from '@helpdesk/database';
import { filterConditions, filterPageSql, segmentPageSql, TicketFilter } from './ticket-list-query';
import { searchTerms } from './ticket-search';
import { SORT_SEGMENTS } from './ticket-sort';

describe('segmentPageSql', () => {
  const newest = SORT_SEGMENTS['-number'][0];

  it('orders by the segment keys alone, after the cursor keys when given', () => {
    const p = new SqlParams();
    const sql = segmentPageSql(newest, [`t.queue = ${p.add('vip')}`], p, ['42'], 51, 't.id');
    expect(sql).toBe('SELECT t.id, t.number::text AS _k0 FROM tickets t WHERE t.queue = $1 AND true AND t.number < $2::bigint ORDER BY t.number DESC LIMIT $3::int');
    expect(p.values).toEqual(['vip', '42', 51]);
  });

  it('puts leading columns before the keys in the order (the keys and the cursor stay the same)', () => {
    const p = new SqlParams();
    const sql = segmentPageSql(newest, [`t.queue = ANY (${p.add(['vip'], 'text[]')})`], p, ['42'], 51, 't.id', ['t.queue']);
    expect(sql).toBe(
      'SELECT t.id, t.number::text AS _k0 FROM tickets t WHERE t.queue = ANY ($1::text[]) AND true AND t.number < $2::bigint ORDER BY t.queue, t.number DESC LIMIT $3::int',
    );
    expect(p.values).toEqual([['vip'], '42', 51]);
  });
});

describe('filterConditions, filterPageSql and ONE_QUEUE_NEWEST', () => {
  const staff = { audience: 'staff' as const };
  const newest = SORT_SEGMENTS['-number'][0];
  const page = (filter: TicketFilter, segment = newest, search: string | null = null) => {
    const p = new SqlParams();
    const terms = search === null ? null : searchTerms(search);
    const where = filterConditions(staff, filter, new SqlParams(), terms, segment);
    return { where, sql: filterPageSql(staff, filter, p, terms, { segment, after: null, limit: 51, select: 't.id' }), values: p.values };
  };

  it('writes one queue alone, newest first, as `= ANY` of a one-element array, led by the queue in the order', () => {
    const { where, values, sql } = page({ queues: ['vip'] });
    expect(where).toEqual(['t.queue = ANY ($1::text[])']);
    expect(values[0]).toEqual(['vip']);
    expect(sql).toBe('SELECT t.id, t.number::text AS _k0 FROM tickets t WHERE t.queue = ANY ($1::text[]) AND true ORDER BY t.queue, t.number DESC LIMIT $2::int');
  });

  it('keeps `t.queue = $n` and the plain order with any other condition', () => {
    const others: TicketFilter[] = [
      { status: ['triaged'] },
      { customerId: '00000000-0000-4000-8000-000000000001' },
      { priority: ['P1'] },
      { assigneeId: null },
      { assigneeId: '00000000-0000-4000-8000-000000000002' },
      { category: 'billing' },
      { tags: ['vpn'] },
      { slaDueWithin: { from: new Date(0), untilByPlan: [] } },
    ];
    for (const other of others) {
      const { where, sql } = page({ queues: ['vip'], ...other });
      expect(where.some((c) => /^t\.queue = \$\d+$/.test(c))).toBe(true);
      expect(sql).toContain('ORDER BY t.number DESC');
    }
    const customer = { audience: 'customer' as const, customerId: '00000000-0000-4000-8000-000000000003' };
    const own = filterPageSql(customer, { queues: ['vip'] }, new SqlParams(), null, { segment: newest, after: null, limit: 51, select: 't.id' });
    expect(own).toContain('t.queue = $2');
    expect(own).toContain('ORDER BY t.number DESC');
    const searched = page({ queues: ['vip'] }, newest, 'outlook');
    expect(searched.where[0]).toMatch(/^t\.queue = \$\d+$/);
    expect(searched.sql).toContain('ORDER BY t.number DESC');
  });

  it('keeps `t.queue = $1` in another order and in a count (no order)', () => {
    expect(page({ queues: ['vip'] }, SORT_SEGMENTS['-updated'][0]).where).toEqual(['t.queue = $1']);
    expect(page({ queues: ['vip'] }, SORT_SEGMENTS.due[1]).where).toEqual(['t.queue = $1']);
    const p = new SqlParams();
    expect(filterConditions(staff, { queues: ['vip'] }, p, null)).toEqual(['t.queue = $1']);
  });

  it('writes two queues as `= ANY` without the queue leading the order', () => {
    const { where, sql } = page({ queues: ['vip', 'billing'] });
    expect(where).toEqual(['t.queue = ANY ($1::text[])']);
    expect(sql).toContain('ORDER BY t.number DESC');
  });
});
