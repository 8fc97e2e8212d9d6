import { DomainError } from '@helpdesk/http';
import { decodeSignedCursor, encodeSignedCursor } from './signed-cursor';

describe('signed cursors', () => {
  const isPosition = (p: unknown): p is { n: string } => typeof (p as { n?: unknown }).n === 'string';

  it('round-trips a payload', () => {
    expect(decodeSignedCursor(encodeSignedCursor({ n: '42', k: ['a'] }), isPosition)).toEqual({ n: '42', k: ['a'] });
  });

  it('refuses edited, truncated, extended, unsigned and unacceptable cursors with a 400 naming cursor', () => {
    const cursor = encodeSignedCursor({ n: '42' });
    const [body, mac] = cursor.split('.');
    const edited = `${Buffer.from(JSON.stringify({ n: '43' })).toString('base64url')}.${mac}`;
    for (const bad of [edited, cursor.slice(0, -1), `${cursor}x`, `${cursor}.x`, body, '', '.', encodeSignedCursor({ m: 1 })]) {
      try {
        decodeSignedCursor(bad, isPosition);
        throw new Error(`accepted ${bad}`);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).extensions.errors).toEqual([{ field: 'cursor', message: expect.any(String), code: 'invalid', params: {} }]);
      }
    }
  });
});
