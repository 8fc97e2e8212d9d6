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
