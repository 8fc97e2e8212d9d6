import { describe, expect, it } from '@jest/globals';
import { auditDiff } from './audit-diff';

describe('audit diff', () => {
  it('lists the changed fields first, with both values as text', () => {
    expect(auditDiff({ name: 'Gold', hours: { mon: [9, 17] }, active: true }, { name: 'Gold 24x7', hours: { mon: [0, 24] }, active: true })).toEqual([
      { field: 'hours', before: '{"mon":[9,17]}', after: '{"mon":[0,24]}', changed: true },
      { field: 'name', before: 'Gold', after: 'Gold 24x7', changed: true },
      { field: 'active', before: 'true', after: 'true', changed: false },
    ]);
  });

  it('counts every field as changed on a creation or a deletion', () => {
    expect(auditDiff(null, { name: 'x' })).toEqual([{ field: 'name', before: '', after: 'x', changed: true }]);
    expect(auditDiff({ name: 'x' }, null)).toEqual([{ field: 'name', before: 'x', after: '', changed: true }]);
  });

  it('shows a field added or removed by the change', () => {
    expect(auditDiff({ a: 1 }, { b: null })).toEqual([
      { field: 'a', before: '1', after: '', changed: true },
      { field: 'b', before: '', after: 'null', changed: true },
    ]);
  });
});
