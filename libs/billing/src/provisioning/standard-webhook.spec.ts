import { Webhook } from 'standardwebhooks';
import { createHmac } from 'node:crypto';
import { isWebhookSecret } from './provisioning-settings.service';
import { signWebhook } from './standard-webhook';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('Standard Webhooks signing', () => {
  it('signs id.timestamp.body with HMAC-SHA256 of the decoded secret, and a receiver verifies it', () => {
    const at = new Date('2026-12-16T10:00:00Z');
    const body = JSON.stringify({ type: 'subscription.suspend', data: { suspensionId: 'b3c1' } });
    const { headers } = signWebhook(SECRET, 'b3c1', body, at);
    expect(headers['webhook-id']).toBe('b3c1');
    expect(headers['webhook-timestamp']).toBe('1797415200');
    const expected = createHmac('sha256', Buffer.alloc(32, 7)).update(`b3c1.1797415200.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    // The receiver's side (its clock must be near the timestamp; the package checks ±5 min).
    jest.useFakeTimers({ now: at });
    try {
      expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
      expect(() => new Webhook(SECRET).verify(body.replace('b3c1', 'b3c2'), headers)).toThrow();
    } finally {
      jest.useRealTimers();
    }
  });

  it.each<[string, boolean]>([
    [SECRET, true],
    [`whsec_${Buffer.alloc(24, 1).toString('base64')}`, true],
    [`whsec_${Buffer.alloc(16, 1).toString('base64')}`, false],
    [`whsec_${Buffer.alloc(65, 1).toString('base64')}`, false],
    [Buffer.alloc(32, 7).toString('base64'), false],
    ['whsec_not base64!', false],
    ['', false],
  ])('tells whether %p is a usable secret', (secret, ok) => {
    expect(isWebhookSecret(secret)).toBe(ok);
  });
});
