import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { isHeaderToken } from '@helpdesk/http';
import { WEBHOOK_SECRET_PREFIX } from '../secrets/webhook-secret';

/** How far a webhook's timestamp may be from our clock, either way (the specification's 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** The three headers of the Standard Webhooks specification. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The headers that sign `body` as message `id` at `at`: `webhook-signature` carries one
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` per secret, space-separated (two while a
 * rotation overlaps, so a receiver holding either key verifies it). The body must be sent as
 * exactly these bytes. The HMAC is node:crypto's (OpenSSL): the standardwebhooks package, which
 * receivers verify with and `verifyWebhook` uses, computes it in JavaScript (fast-sha256) over a
 * copy of the body — ≈ 19 µs of CPU a 1.2 kB escalation against ≈ 3–4 (bench/README.md, branch
 * r18-escalation). The spec holds the two to the same signature, byte for byte.
 */
export function signWebhook(id: string, body: string | Buffer, secrets: readonly string[], at: Date = new Date()): StandardWebhookHeaders {
  if (secrets.length === 0) throw new RangeError('A webhook needs at least one secret to be signed');
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signed = `${id}.${timestamp}.`;
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets.map((secret) => `v1,${createHmac('sha256', signingKey(secret)).update(signed).update(body).digest('base64')}`).join(' '),
  };
}

/** The key a `whsec_<base64>` secret (or its bare base64) stands for, as the standardwebhooks package reads it. */
function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0 || key.toString('base64') !== encoded) throw new RangeError('A webhook secret must be whsec_ followed by base64');
  return key;
}

export type WebhookRejection = 'missing_headers' | 'invalid_id' | 'invalid_timestamp' | 'stale' | 'future' | 'bad_signature';

/** Why an incoming webhook is not believed; `message` is safe to show the sender. */
export class WebhookRejected extends Error {
  constructor(
    readonly reason: WebhookRejection,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

export interface VerifiedWebhook {
  id: string;
  timestamp: Date;
}

/**
 * Checks an incoming webhook against the secrets in force (current first): its id, its timestamp
 * (at most WEBHOOK_TOLERANCE_SECONDS from now, either way) and a `v1` signature over id, timestamp
 * and the exact body bytes under one of them. Returns the signed id and time; throws
 * WebhookRejected otherwise. Whether the id was seen before is the caller's to check.
 */
export function verifyWebhook(body: Buffer | string, headers: Record<string, string | string[] | undefined>, secrets: readonly string[]): VerifiedWebhook {
  const id = single(headers, 'webhook-id');
  const timestamp = single(headers, 'webhook-timestamp');
  const signature = single(headers, 'webhook-signature');
  if (id === undefined || timestamp === undefined || signature === undefined) {
    throw new WebhookRejected('missing_headers', 'The webhook-id, webhook-timestamp and webhook-signature headers are required (Standard Webhooks)');
  }
  if (!isHeaderToken(id)) throw new WebhookRejected('invalid_id', 'webhook-id must be 1–200 visible ASCII characters');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookRejected('invalid_timestamp', 'webhook-timestamp must be the time of sending in whole seconds since 1970 (UTC)');
  const seconds = Number(timestamp);
  const skew = Math.floor(Date.now() / 1000) - seconds;
  if (skew > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookRejected('stale', `webhook-timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS} seconds old`);
  if (-skew > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookRejected('future', `webhook-timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS} seconds ahead of our clock`);

  const signed = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, signed, { jsonParse: false });
      return { id, timestamp: new Date(seconds * 1000) };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
    }
  }
  throw new WebhookRejected('bad_signature', 'webhook-signature does not sign this id, timestamp and body with a secret in force');
}

function single(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
