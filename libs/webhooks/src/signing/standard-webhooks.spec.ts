import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from '../secrets/webhook-secret';
import { signWebhook, verifyWebhook, WEBHOOK_TOLERANCE_SECONDS, WebhookRejected } from './standard-webhooks';

describe('Standard Webhooks signing and verification', () => {
  const secret = generateWebhookSecret();
  const other = generateWebhookSecret();
  const body = JSON.stringify({ escalationId: '6f1c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f', note: 'Größe – ✓' });
  const id = '6f1c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';
  const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);

  const rejection = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      if (error instanceof WebhookRejected) return error.reason;
      throw error;
    }
    return 'accepted';
  };

  it("matches the specification's published example", () => {
    const headers = signWebhook('msg_p5jXN8AQM9LWM0D4loKWxJek', '{"test": 2432232314}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], new Date(1614265330 * 1000));
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('is verified by a vendor with the off-the-shelf standardwebhooks Webhook.verify', () => {
    const headers = signWebhook(id, Buffer.from(body, 'utf8'), [secret]);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(other).verify(body, { ...headers })).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'another-id' })).toThrow('No matching signature found');
  });

  it('signs with every secret during a rotation: a vendor holding either key verifies it', () => {
    const headers = signWebhook(id, body, [secret, other]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(other).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it("signs byte for byte as the standardwebhooks package does, for any key size, body and instant", () => {
    const bodies: Array<string | Buffer> = ['', '{}', body, 'ü'.repeat(3000), randomBytes(5000), Buffer.from(body, 'utf8')];
    for (let i = 0; i < 60; i++) {
      const key = generateWebhookSecret(24 + (i % 41));
      const bare = key.slice('whsec_'.length);
      const payload = bodies[i % bodies.length];
      const msgId = i % 2 ? id : `msg_${randomBytes(8).toString('hex')}`;
      const at = new Date(Math.floor(Math.random() * 4_102_444_800_000));
      const expected = new Webhook(key).sign(msgId, at, payload);
      expect(signWebhook(msgId, payload, [key], at)['webhook-signature']).toBe(expected);
      expect(signWebhook(msgId, payload, [bare], at)['webhook-signature']).toBe(expected);
      expect(signWebhook(msgId, payload, [key, other], at)['webhook-signature']).toBe(`${expected} ${new Webhook(other).sign(msgId, at, payload)}`);
    }
  });

  it('refuses a secret that is not base64, rather than sign with the wrong key', () => {
    expect(() => signWebhook(id, body, ['whsec_'])).toThrow(RangeError);
    expect(() => signWebhook(id, body, ['whsec_not base64!'])).toThrow(RangeError);
    expect(() => signWebhook(id, body, [secret, 'whsec_%%%%'])).toThrow(RangeError);
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook(id, body, [])).toThrow(RangeError);
  });

  it('verifies what it signs, with the current or the previous secret, and returns the signed id and time', () => {
    const at = secondsAgo(10);
    const headers = signWebhook(id, body, [other], at);
    expect(verifyWebhook(body, { ...headers }, [secret, other])).toEqual({ id, timestamp: new Date(Math.floor(at.getTime() / 1000) * 1000) });
    expect(verifyWebhook(Buffer.from(body), { ...headers }, [other])).toMatchObject({ id });
  });

  it('refuses another secret, a changed body, id or timestamp', () => {
    const headers = signWebhook(id, body, [secret], secondsAgo(5));
    expect(rejection(() => verifyWebhook(body, { ...headers }, [other]))).toBe('bad_signature');
    expect(rejection(() => verifyWebhook(body, { ...headers }, []))).toBe('bad_signature');
    expect(rejection(() => verifyWebhook(`${body} `, { ...headers }, [secret]))).toBe('bad_signature');
    // A captured request replayed under a fresh id: the id is signed.
    expect(rejection(() => verifyWebhook(body, { ...headers, 'webhook-id': 'fresh-id' }, [secret]))).toBe('bad_signature');
    // ... or with a fresh timestamp: so is the time.
    expect(rejection(() => verifyWebhook(body, { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) }, [secret]))).toBe('bad_signature');
  });

  it('refuses timestamps more than five minutes away, either way, even when well signed', () => {
    const tolerance = WEBHOOK_TOLERANCE_SECONDS;
    expect(rejection(() => verifyWebhook(body, { ...signWebhook(id, body, [secret], secondsAgo(tolerance - 5)) }, [secret]))).toBe('accepted');
    expect(rejection(() => verifyWebhook(body, { ...signWebhook(id, body, [secret], secondsAgo(tolerance + 5)) }, [secret]))).toBe('stale');
    expect(rejection(() => verifyWebhook(body, { ...signWebhook(id, body, [secret], secondsAgo(-(tolerance - 5))) }, [secret]))).toBe('accepted');
    expect(rejection(() => verifyWebhook(body, { ...signWebhook(id, body, [secret], secondsAgo(-(tolerance + 5))) }, [secret]))).toBe('future');
  });

  it.each<[string, Record<string, string | string[] | undefined>, string]>([
    ['no headers', {}, 'missing_headers'],
    ['no signature', { 'webhook-id': id, 'webhook-timestamp': '1' }, 'missing_headers'],
    ['a repeated header', { 'webhook-id': [id, id], 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, 'missing_headers'],
    ['an id with spaces', { 'webhook-id': 'a b', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, 'invalid_id'],
    ['an over-long id', { 'webhook-id': 'x'.repeat(201), 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, 'invalid_id'],
    ['a timestamp in milliseconds', { 'webhook-id': id, 'webhook-timestamp': String(Date.now()), 'webhook-signature': 'v1,x' }, 'invalid_timestamp'],
    ['a date as timestamp', { 'webhook-id': id, 'webhook-timestamp': new Date().toISOString(), 'webhook-signature': 'v1,x' }, 'invalid_timestamp'],
    ['a garbage signature', { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'sha256=00' }, 'bad_signature'],
  ])('refuses %s', (_case, headers, reason) => {
    expect(rejection(() => verifyWebhook(body, headers, [secret]))).toBe(reason);
  });
});
