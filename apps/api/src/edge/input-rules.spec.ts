import { inputProblems, jsonNestsDeeperThan, MAX_JSON_DEPTH } from './input-rules';

describe('jsonNestsDeeperThan', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('counts objects and arrays, up to the limit and one past it', () => {
    expect(jsonNestsDeeperThan(nested(3), 3)).toBe(false);
    expect(jsonNestsDeeperThan(nested(4), 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
  });

  it('skips strings, escaped quotes and backslashes included', () => {
    expect(jsonNestsDeeperThan('{"a":"[[[[[[{{{{"}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":"x\\"[[[[[[\\\\"}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('{"a\\\\":[[1]]}', 2)).toBe(true);
  });

  it('scans a million brackets without recursion', () => {
    expect(jsonNestsDeeperThan(nested(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('inputProblems', () => {
  it('names every string field with a NUL character by its dotted path', () => {
    expect(inputProblems({ subject: 'a\u0000', requester: { name: 'ok', email: '\u0000' }, tags: ['x', 'y\u0000'] })).toEqual([
      { field: 'subject', message: 'subject must not contain NUL characters (\\u0000)' },
      { field: 'requester.email', message: 'requester.email must not contain NUL characters (\\u0000)' },
      { field: 'tags.1', message: 'tags.1 must not contain NUL characters (\\u0000)' },
    ]);
  });

  it('refuses prototype keys as unknown properties, at any depth, and keys with NUL', () => {
    const body = JSON.parse('{"__proto__":{"a":1},"x":{"constructor":{"prototype":1}},"y":[{"prototype":2}],"k\\u0000":1}');
    expect(inputProblems(body).map((e) => e.field)).toEqual(['__proto__', 'x.constructor', 'y.0.prototype', 'k\\u0000']);
    expect(inputProblems(body)[0].message).toBe('property __proto__ should not exist');
  });

  it('accepts ordinary values, and stops descending past the depth limit', () => {
    expect(inputProblems({ a: 1, b: null, c: [true, 'text'], d: { e: 'ü' } })).toEqual([]);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const [problem] = inputProblems(deep);
    expect(problem.message).toMatch(/deeper than 32 levels/);
    expect(problem.field.split('.')).toHaveLength(MAX_JSON_DEPTH);
  });
});
