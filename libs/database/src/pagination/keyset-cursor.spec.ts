import { DomainError } from '@helpdesk/http';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor';

describe('keyset cursors', () => {
  it('round-trips a bigint number as an opaque string', () => {
    const cursor = encodeKeysetCursor('9007199254740993');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor)).toBe('9007199254740993');
  });

  it('accepts the largest bigint', () => {
    expect(decodeKeysetCursor(encodeKeysetCursor('9223372036854775807'))).toBe('9223372036854775807');
  });

  it.each([
    'garbage',
    Buffer.from('{"n":12}').toString('base64url'),
    Buffer.from('{"n":"1; DROP"}').toString('base64url'),
    '',
    // 19 digits but beyond bigint: PostgreSQL would refuse the comparison (a 500), so it is no cursor
    encodeKeysetCursor('9223372036854775808'),
    encodeKeysetCursor('9999999999999999999'),
  ])(
    'rejects %j with a 400 naming cursor',
    (cursor) => {
      expect(() => decodeKeysetCursor(cursor)).toThrow(DomainError);
      try {
        decodeKeysetCursor(cursor);
      } catch (e) {
        expect((e as DomainError).extensions.errors).toEqual([{ field: 'cursor', message: 'is not a cursor this API returned', code: 'invalid', params: {} }]);
      }
    },
  );
});
