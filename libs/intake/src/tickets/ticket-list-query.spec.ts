import { SqlParams } from '@helpdesk/database';
import { filterConditions, filterPageSql, openStatusList, segmentPageSql, TicketFilter } from './ticket-list-query';
import { searchTerms } from './ticket-search';
import { SORT_SEGMENTS } from './ticket-sort';

describe('segmentPageSql', () => {
  const newest = SORT_SEGMENTS['-number'][0];

  it('orders by the segment keys alone, after the cursor keys when given', () => {
    const p = new SqlParams();
    const sql = segmentPageSql(newest, [`t.queue = ${p.add('vip')}`], p, ['42'], 51, 't.id');
    expect(sql).toBe('SELECT t.id, t.number::text AS _k0 FROM tickets t WHERE t.queue = $1 AND true AND t.number < $2::bigint ORDER BY t.number DESC LIMIT 51');
    expect(p.values).toEqual(['vip', '42']);
  });

  it('puts leading columns before the keys in the order (the keys and the cursor stay the same)', () => {
    const p = new SqlParams();
    const sql = segmentPageSql(newest, [`t.queue = ANY (${p.add(['vip'], 'text[]')})`], p, ['42'], 51, 't.id', ['t.queue']);
    expect(sql).toBe(
      'SELECT t.id, t.number::text AS _k0 FROM tickets t WHERE t.queue = ANY ($1::text[]) AND true AND t.number < $2::bigint ORDER BY t.queue, t.number DESC LIMIT 51',
    );
    expect(p.values).toEqual([['vip'], '42']);
  });
});

describe("a page's LIMIT", () => {
  // A parameter there makes PostgreSQL plan the prepared statement anew on every execution (custom plans).
  it('is a literal whole number, never a parameter', () => {
    const p = new SqlParams();
    expect(segmentPageSql(SORT_SEGMENTS.due[0], [], p, null, 7, 't.id')).toMatch(/ LIMIT 7$/);
    expect(p.values).toEqual([]);
  });

  it('refuses anything but a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(() => segmentPageSql(SORT_SEGMENTS.due[0], [], new SqlParams(), null, bad, 't.id')).toThrow(/limit/);
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
    expect(sql).toBe('SELECT t.id, t.number::text AS _k0 FROM tickets t WHERE t.queue = ANY ($1::text[]) AND true ORDER BY t.queue, t.number DESC LIMIT 51');
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

describe('filterPageSql with an SLA window (breaching soon)', () => {
  const staff = { audience: 'staff' as const };
  const window = {
    from: new Date('2026-12-07T03:00:00Z'),
    untilByPlan: [
      { planId: '00000000-0000-4000-8000-00000000000a', until: new Date('2026-12-07T05:00:00Z') },
      { planId: '00000000-0000-4000-8000-00000000000b', until: new Date('2026-12-07T10:00:00Z') },
    ],
  };
  const page = (segment = SORT_SEGMENTS.due[0], after: string[] | null = null) => {
    const p = new SqlParams();
    return { sql: filterPageSql(staff, { queues: ['vip'], slaDueWithin: window }, p, null, { segment, after, limit: 51, select: 't.id' }), values: p.values };
  };
  /** The parenthesised parts of the UNION ALL (one level of nesting is enough: each part's own subqueries are balanced). */
  const parts = (sql: string) => sql.slice(sql.indexOf('FROM (') + 6, sql.lastIndexOf(') u ORDER BY')).split(' UNION ALL ');

  it('reads the resolution clocks due in the window and the first responses due in it (and not their resolution) apart, each in the order and up to the page, then merges them', () => {
    const { sql, values } = page();
    const [resolution, firstResponse] = parts(sql);
    expect(parts(sql)).toHaveLength(2);
    expect(resolution).toMatch(/^\(SELECT t\.id, t\.resolution_due_at::text AS _k0, t\.number::text AS _k1 FROM tickets t WHERE t\.queue = \$1 AND /);
    expect(resolution).toContain('t.resolution_due_at > $2::timestamptz AND t.resolution_due_at <= $3::timestamptz');
    expect(resolution).not.toContain('first_response_due_at');
    expect(resolution).toMatch(/ORDER BY t\.resolution_due_at ASC, t\.number ASC LIMIT 51\)$/);
    expect(firstResponse).toContain('t.first_response_due_at > $2::timestamptz AND t.first_response_due_at <= $3::timestamptz');
    expect(firstResponse).toContain('AND NOT (t.resolution_due_at IS NOT NULL AND t.resolution_due_at > $2::timestamptz AND t.resolution_due_at <= h.until)');
    expect(firstResponse).toMatch(/ORDER BY t\.resolution_due_at ASC, t\.number ASC LIMIT 51\)$/);
    expect(sql).toMatch(/\) u ORDER BY u\._k0::timestamptz ASC, u\._k1::bigint ASC LIMIT 51$/);
    // The latest horizon bounds both index ranges; each plan's own is checked per ticket.
    expect(values.slice(0, 5)).toEqual(['vip', window.from, window.untilByPlan[1].until, window.untilByPlan.map((h) => h.planId), window.untilByPlan.map((h) => h.until)]);
    expect(sql.match(/\$(\d+)/g)!.map((m) => Number(m.slice(1))).every((n) => n <= values.length)).toBe(true);
  });

  it('puts the cursor in both parts', () => {
    const { sql, values } = page(SORT_SEGMENTS.due[0], ['2026-12-07 04:00:00+00', '42']);
    for (const part of parts(sql)) expect(part).toMatch(/\(t\.resolution_due_at, t\.number\) > \(\$\d+::timestamptz, \$\d+::bigint\)/);
    expect(values.filter((v) => v === '42')).toHaveLength(2);
  });

  it('reads only the first responses in a segment without a running resolution clock', () => {
    const { sql } = page(SORT_SEGMENTS.due[1]);
    expect(sql).not.toContain('UNION ALL');
    expect(sql).toContain('t.first_response_due_at > $2::timestamptz');
    expect(sql).not.toContain('t.resolution_due_at <= $3::timestamptz');
    expect(sql).toMatch(/ORDER BY t\.number DESC LIMIT 51$/);
  });

  it('matches nothing without a plan, as before', () => {
    const p = new SqlParams();
    const sql = filterPageSql(staff, { slaDueWithin: { from: window.from, untilByPlan: [] } }, p, null, { segment: SORT_SEGMENTS.due[0], after: null, limit: 51, select: 't.id' });
    expect(sql).toContain('WHERE false AND');
    // Every value sent is named in the text (PostgreSQL cannot type a parameter it never sees).
    for (let n = 1; n <= p.values.length; n++) expect(sql).toMatch(new RegExp(`\\$${n}(?!\\d)`));
  });
});

describe('openStatusList', () => {
  it('keeps the open statuses asked, once each', () => {
    expect(openStatusList(['in_progress', 'triaged', 'in_progress'])).toEqual(['in_progress', 'triaged']);
  });

  it('is empty when every open status is asked: the open documents alone are those tickets', () => {
    expect(openStatusList(['new', 'triaged', 'in_progress', 'waiting_on_customer', 'escalated'])).toEqual([]);
  });

  it('refuses an unknown status, as the list does', () => {
    expect(() => openStatusList(['in_progress', 'sleeping' as never])).toThrow(/unknown status sleeping/);
  });
});
