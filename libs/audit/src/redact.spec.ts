import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('hides string secrets under any key that names one, at any depth', () => {
    expect(
      redactSecrets({
        secret: 'whsec_abc',
        nested: { callbackSecret: 'whsec_def', secrets: ['a', 'b'], password: 'p' },
        list: [{ token: 'hds_x' }],
      }),
    ).toEqual({ secret: REDACTED, nested: { callbackSecret: REDACTED, secrets: REDACTED, password: REDACTED }, list: [{ token: REDACTED }] });
  });

  it('keeps flags and ids that only mention a secret or a token', () => {
    const view = { hasSecret: true, tokenId: '0b7c…', prefix: 'hds_AbCd', name: 'Premier', at: new Date('2026-01-02T03:04:05Z'), none: null };
    expect(redactSecrets(view)).toEqual({ ...view, at: '2026-01-02T03:04:05.000Z' });
  });
});
