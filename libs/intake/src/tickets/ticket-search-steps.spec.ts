import { filtersTickets, newestMatches, WindowSearch } from './ticket-search';

/** The statements of a walk that finds nothing (every step unsized, up to the widest ranges). */
async function statementsOf(search: WindowSearch): Promise<string[]> {
  const sqls: string[] = [];
  const found = await newestMatches(search, 1_001_642n, async <T>(sql: string) => {
    sqls.push(sql);
    return [] as T[];
  });
  expect(found).toEqual([]);
  return sqls;
}

describe('a step taken before any match is found reads its range by sub-ranges only for the words alone', () => {
  const words: WindowSearch = { doc: 'staff_doc', text: 'licences', customerId: undefined, except: null, where: () => [] };

  it('the words alone: the wide steps by sub-ranges, newest first', async () => {
    const sqls = await statementsOf(words);
    expect(filtersTickets(words)).toBe(false);
    // The first steps are of 10^3 numbers (nothing below to split into); the wider ones are split.
    expect(sqls[0]).not.toContain('generate_series');
    expect(sqls.filter((s) => s.includes('generate_series')).length).toBeGreaterThan(0);
  });

  it.each([
    ['a customer (its key)', { customerId: '00000000-0000-4000-8000-000000000001' }],
    ['a status (a condition on the ticket)', { where: () => [`t.status = 'in_progress'`], onlyOpen: true }],
    ['a queue (a condition on the ticket)', { where: () => [`t.queue = 'billing'`] }],
    ['open documents only', { onlyOpen: true }],
  ])('%s: every step is one scan of its range', async (_label, filter: Partial<WindowSearch>) => {
    const search = { ...words, ...filter };
    expect(filtersTickets(search)).toBe(true);
    const sqls = await statementsOf(search);
    expect(sqls.length).toBeGreaterThan(3);
    for (const sql of sqls) expect(sql).not.toContain('generate_series');
  });
});

describe('a step with conditions on the ticket checks each match as it comes', () => {
  const status: WindowSearch = { doc: 'staff_doc', text: 'licences', customerId: undefined, except: null, where: () => [`t.status = 'in_progress'`], onlyOpen: true };

  it("the range's matches newest first, each one's ticket checked by its number, the newest `want` that pass", async () => {
    const sqls = await statementsOf(status);
    for (const sql of sqls) {
      expect(sql).toContain(`(SELECT true FROM tickets t WHERE t.number = c.number AND t.status = 'in_progress')`);
      expect(sql).toMatch(/ORDER BY s\.number DESC OFFSET 0\) c WHERE .* ORDER BY c\.number DESC LIMIT/);
      // No semi-join PostgreSQL could turn into a read of every ticket in the status.
      expect(sql).not.toContain('EXISTS');
    }
  });

  it('without conditions on the ticket the step is as before: one scan, no check', async () => {
    for (const sql of await statementsOf({ ...status, where: () => [], onlyOpen: false, customerId: '00000000-0000-4000-8000-000000000001' })) {
      expect(sql).not.toContain('SELECT true FROM tickets');
      expect(sql).not.toContain('OFFSET 0');
    }
  });
});

describe('open statuses alone are checked by the step\'s number range, not ticket by ticket', () => {
  const status: WindowSearch = { doc: 'staff_doc', text: 'licences', customerId: undefined, except: null, where: () => [], onlyOpen: true, openStatuses: ['in_progress'] };

  it('every step reads the statuses of its (sub-)range from open_ticket_statuses; no ticket is looked up', async () => {
    expect(filtersTickets(status)).toBe(true);
    const sqls = await statementsOf(status);
    expect(sqls.length).toBeGreaterThan(3);
    for (const sql of sqls) {
      expect(sql).not.toContain('FROM tickets');
      expect(sql).toContain('s.open');
      expect(sql).toMatch(/s\.number IN \(SELECT o\.number FROM open_ticket_statuses o WHERE o\.number >= .+ AND o\.number <= .+ AND o\.status = ANY \(\$\d+::text\[\]\)\)/);
    }
    // The wide ranges by sub-ranges, each bounded to its own numbers.
    const split = sqls.filter((s) => s.includes('generate_series'));
    expect(split.length).toBeGreaterThan(0);
    for (const sql of split) {
      const [, size, again, last] = /o\.number >= r\.sub \* (\d+) AND o\.number <= r\.sub \* (\d+) \+ (\d+) /.exec(sql) ?? [];
      expect(again).toBe(size);
      expect(Number(last)).toBe(Number(size) - 1);
    }
  });

  it('sized steps too are read by sub-ranges (a common word: the step stops after the sub-ranges it needs)', async () => {
    const sqls: string[] = [];
    let first = true;
    await newestMatches(status, 1_001_642n, async <T>(sql: string) => {
      sqls.push(sql);
      // The first step finds a few matches near its top: the walk sizes the next ones by their density.
      const rows = first ? [{ ticket_id: 'a', number: '1001640', rank: '0.1' }, { ticket_id: 'b', number: '1001630', rank: '0.1' }] : [];
      first = false;
      return rows as T[];
    });
    expect(sqls.length).toBeGreaterThan(1);
    expect(sqls.slice(1).filter((s) => s.includes('generate_series')).length).toBeGreaterThan(0);
  });

  it('with another condition on the ticket (a queue) the ticket is still checked, the statuses by range', async () => {
    const sqls = await statementsOf({ ...status, where: () => [`t.queue = 'billing'`] });
    for (const sql of sqls) {
      expect(sql).toContain(`(SELECT true FROM tickets t WHERE t.number = c.number AND t.queue = 'billing')`);
      expect(sql).toContain('FROM open_ticket_statuses o');
      expect(sql).not.toContain('generate_series');
    }
  });
});
