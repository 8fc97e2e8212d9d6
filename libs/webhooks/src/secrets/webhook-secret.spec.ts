import { generateWebhookSecret, parseWebhookSecret, sameWebhookKey } from './webhook-secret';

describe('whsec_ webhook secrets', () => {
  const key = Buffer.alloc(32, 7);
  const secret = `whsec_${key.toString('base64')}`;

  it('reads the key bytes of a canonical whsec_<base64> secret', () => {
    expect(parseWebhookSecret(secret)).toEqual({ key });
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(24, 1).toString('base64')}`)).toEqual({ key: Buffer.alloc(24, 1) });
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(64, 1).toString('base64')}`)).toEqual({ key: Buffer.alloc(64, 1) });
  });

  it.each<[string, unknown, RegExp]>([
    ['not a string', 42, /must be a string/],
    ['no prefix', key.toString('base64'), /must be whsec_ followed by the base64/],
    ['another prefix', `wsec_${key.toString('base64')}`, /must be whsec_/],
    ['an empty key', 'whsec_', /must be whsec_/],
    ['base64url characters', `whsec_${key.toString('base64url')}-_`, /must be whsec_/],
    ['missing padding', `whsec_${Buffer.alloc(31, 7).toString('base64').replace(/=+$/, '')}`, /not valid base64/],
    ['a space', `whsec_ ${key.toString('base64')}`, /must be whsec_/],
    ['too short a key (16 bytes)', `whsec_${Buffer.alloc(16, 1).toString('base64')}`, /24 to 64 bytes \(this one has 16\)/],
    ['too long a key (65 bytes)', `whsec_${Buffer.alloc(65, 1).toString('base64')}`, /24 to 64 bytes \(this one has 65\)/],
  ])('refuses %s', (_case, value, problem) => {
    const parsed = parseWebhookSecret(value);
    expect(parsed).toHaveProperty('problem');
    expect((parsed as { problem: string }).problem).toMatch(problem);
  });

  it('generates distinct valid secrets of 32 bytes', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).not.toBe(b);
    expect((parseWebhookSecret(a) as { key: Buffer }).key).toHaveLength(32);
  });

  it('compares keys, not spellings', () => {
    expect(sameWebhookKey(secret, `whsec_${key.toString('base64')}`)).toBe(true);
    expect(sameWebhookKey(secret, `whsec_${Buffer.alloc(32, 8).toString('base64')}`)).toBe(false);
    expect(sameWebhookKey(secret, `whsec_${Buffer.alloc(33, 7).toString('base64')}`)).toBe(false);
  });
});
