import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './signature';

describe('escalation delivery signatures', () => {
  const secret = 'whsec_5f2b8c1e9a7d4036';
  const body = JSON.stringify({ escalationId: '6f1c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f', tier: 'premier' });

  it('matches a published HMAC-SHA256 test vector', () => {
    // The well-known vector: HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(signBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('matches an HMAC computed independently with node:crypto', () => {
    const expected = createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signBody(body, secret)).toBe(`sha256=${expected}`);
  });

  it('signs a string and the same bytes as a Buffer identically (UTF-8)', () => {
    const text = '{"note":"Größe – ✓"}';
    expect(signBody(Buffer.from(text, 'utf8'), secret)).toBe(signBody(text, secret));
  });

  it('verifies its own signature, for strings and Buffers', () => {
    expect(verifySignature(body, secret, signBody(body, secret))).toBe(true);
    expect(verifySignature(Buffer.from(body), secret, signBody(body, secret))).toBe(true);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    const hex = signBody(body, secret).slice('sha256='.length);
    expect(verifySignature(body, secret, `sha256=${hex.toUpperCase()}`)).toBe(true);
    expect(verifySignature(body, secret, ` sha256=${hex} `)).toBe(true);
  });

  it('rejects a tampered body', () => {
    const header = signBody(body, secret);
    expect(verifySignature(body.replace('premier', 'advanced'), secret, header)).toBe(false);
    expect(verifySignature(`${body} `, secret, header)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifySignature(body, secret, signBody(body, `${secret}x`))).toBe(false);
  });

  const valid = signBody(body, secret);
  const hex = valid.slice('sha256='.length);
  it.each<[string, string | undefined]>([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['the bare scheme', 'sha256='],
    ['hex without the scheme', hex],
    ['another scheme', `sha1=${hex}`],
    ['a truncated digest', valid.slice(0, -2)],
    ['an over-long digest', `${valid}00`],
    ['an odd-length digest', valid.slice(0, -1)],
    ['non-hex characters', `sha256=${'z'.repeat(64)}`],
    ['base64 instead of hex', `sha256=${Buffer.from(hex, 'hex').toString('base64')}`],
    ['two signatures', `${valid},${valid}`],
  ])('rejects %s without throwing', (_case, header) => {
    expect(() => verifySignature(body, secret, header)).not.toThrow();
    expect(verifySignature(body, secret, header)).toBe(false);
  });

  it('refuses to sign or verify with an empty secret', () => {
    expect(() => signBody(body, '')).toThrow(new RangeError('The signing secret must not be empty'));
    expect(() => verifySignature(body, '', valid)).toThrow(new RangeError('The signing secret must not be empty'));
  });
});
