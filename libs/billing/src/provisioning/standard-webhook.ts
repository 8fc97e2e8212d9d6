import { Webhook } from 'standardwebhooks';

export interface SignedWebhook {
  headers: Record<string, string>;
  /** Sent as UTF-8, exactly the text that was signed. */
  body: string;
}

/**
 * A webhook signed per the Standard Webhooks specification (standardwebhooks package):
 * `webhook-id` (the same on every retry, so the receiver can drop repeats), `webhook-timestamp`
 * (seconds, this attempt's — receivers refuse old ones) and `webhook-signature` (`v1,<base64
 * HMAC-SHA256 of id.timestamp.body>` with the `whsec_` secret).
 */
export function signWebhook(secret: string, id: string, body: string, at: Date = new Date()): SignedWebhook {
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  };
}

export type WebhookResult = { status: number; text: string } | { error: string };

/** Answers kept of the receiver's body (for the attempt's error); the rest is read and dropped. */
const MAX_ANSWER_CHARS = 2_000;

/** POSTs a signed webhook; the timeout covers the whole exchange; redirects are not followed. Never throws. */
export async function postWebhook(url: string, webhook: SignedWebhook, timeoutMs: number): Promise<WebhookResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `invalid webhook URL ${JSON.stringify(url).slice(0, 200)}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { error: `unsupported webhook URL scheme ${parsed.protocol}` };
  try {
    const response = await fetch(parsed, { method: 'POST', headers: webhook.headers, body: webhook.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = (await response.text()).slice(0, MAX_ANSWER_CHARS);
    return { status: response.status, text };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { error: `timed out after ${timeoutMs} ms` };
    const cause = e.cause?.code ?? e.cause?.message;
    return { error: `${e.message}${cause ? ` (${cause})` : ''}`.slice(0, 500) };
  }
}
