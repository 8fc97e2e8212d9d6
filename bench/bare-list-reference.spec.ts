import { encodeSignedCursor } from '@helpdesk/database';
import { listSelectSql, SORT_SEGMENTS, statementName, VIEW_COLUMNS } from '@helpdesk/intake';
import { SLA_VIEW_COLUMNS } from '@helpdesk/triage';
import { bareListQuery, bareListStatement } from './bare-list-reference';

const SELECT = listSelectSql([...new Set([...VIEW_COLUMNS, ...SLA_VIEW_COLUMNS])]);

describe('the bare list reference', () => {
  it('reads the bench’s query shapes, with the API’s default limit', () => {
    expect(bareListQuery({ queue: 'vip' })).toEqual({ queue: 'vip', status: undefined, cursor: undefined, limit: 50 });
    expect(bareListQuery({ queue: 'vip', status: 'in_progress,escalated', limit: '20' })).toEqual({ queue: 'vip', status: ['in_progress', 'escalated'], cursor: undefined, limit: 20 });
    expect(bareListQuery({ status: 'triaged', cursor: 'abc' })).toMatchObject({ status: ['triaged'], cursor: 'abc' });
  });

  it('names the field of a query it does not answer', () => {
    expect(bareListQuery({ q: 'outlook' })).toEqual({ field: 'q' });
    expect(bareListQuery({ status: 'sleeping' })).toEqual({ field: 'status' });
    expect(bareListQuery({ status: ['triaged', 'new'] })).toEqual({ field: 'status' });
    expect(bareListQuery({ queue: '' })).toEqual({ field: 'queue' });
    for (const limit of ['0', '101', '1.5', 'ten', '']) expect(bareListQuery({ limit })).toEqual({ field: 'limit' });
  });

  it('runs TicketFinder’s statement for one queue alone (ONE_QUEUE_NEWEST), under the same prepared name', () => {
    const statement = bareListStatement({ queue: 'vip', limit: 50 });
    expect(statement.text).toBe(`SELECT ${SELECT}, t.number::text AS _k0 FROM tickets t WHERE t.queue = ANY ($1::text[]) AND true ORDER BY t.queue, t.number DESC LIMIT 51`);
    expect(statement.values).toEqual([['vip']]);
    expect(statement.name).toBe(statementName('tl', statement.text));
  });

  it('runs the plain statement with a status, and after a cursor the API signed', () => {
    const cursor = encodeSignedCursor({ s: '-number', g: 0, k: ['4200'] });
    const statement = bareListStatement({ queue: 'vip', status: ['escalated'], cursor, limit: 50 });
    expect(statement.text).toBe(
      `SELECT ${SELECT}, t.number::text AS _k0 FROM tickets t WHERE t.status = 'escalated' AND t.queue = $1 AND true AND t.number < $2::bigint ORDER BY t.number DESC LIMIT 51`,
    );
    expect(statement.values).toEqual(['vip', '4200']);
    expect(SORT_SEGMENTS['-number']).toHaveLength(1);
  });

  it('refuses a cursor of another sort or a forged one', () => {
    expect(() => bareListStatement({ queue: 'vip', cursor: encodeSignedCursor({ s: 'due', g: 0, k: ['4200'] }), limit: 50 })).toThrow();
    expect(() => bareListStatement({ queue: 'vip', cursor: 'eyJzIjoiLW51bWJlciJ9.forged', limit: 50 })).toThrow();
  });
});
