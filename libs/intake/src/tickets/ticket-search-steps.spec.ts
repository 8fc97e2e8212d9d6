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
