import { SqlParams } from '@helpdesk/database';
import { segmentPageSql } from './ticket-list-query';
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
