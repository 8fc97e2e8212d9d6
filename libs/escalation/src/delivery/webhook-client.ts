import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** How much of a receiver's answer is kept (for its caseId); the rest is read and dropped. */
export const MAX_RESPONSE_CHARS = 64 * 1024;

/**
 * An idle pooled connection is closed after this long: below the 5 s keep-alive of Node and
 * Apache servers, so a request is not sent on a connection the receiver is closing.
 */
const IDLE_SOCKET_MS = 4_000;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
}

export type WebhookResult = { status: number; text: string } | { error: string };

/**
 * POSTs signed webhooks over kept-alive connections (one pool per process for http and one for
 * https). The timeout covers the whole exchange: connecting, sending, and reading the answer.
 * Redirects are not followed (a 3xx is an unsuccessful answer). Never throws.
 */
export class WebhookClient {
  private readonly http = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });
  private readonly https = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });

  post(req: WebhookRequest): Promise<WebhookResult> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return Promise.resolve({ error: `invalid webhook URL ${JSON.stringify(req.url).slice(0, 200)}` });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve({ error: `unsupported webhook URL scheme ${url.protocol}` });
    const secure = url.protocol === 'https:';

    return new Promise<WebhookResult>((resolve) => {
      let settled = false;
      const finish = (result: WebhookResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const headers = { ...req.headers, 'Content-Length': String(req.body.length) };
      const options = { method: 'POST', headers, agent: secure ? this.https : this.http };
      const request = secure ? httpsRequest(url, options) : httpRequest(url, options);
      const timer = setTimeout(() => {
        finish({ error: `timed out after ${req.timeoutMs} ms` });
        request.destroy();
      }, req.timeoutMs);

      request.on('error', (e: NodeJS.ErrnoException) => finish({ error: describeError(e) }));
      request.on('response', (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_RESPONSE_CHARS) text += chunk;
        });
        response.on('error', (e: NodeJS.ErrnoException) => finish({ error: describeError(e) }));
        response.on('aborted', () => finish({ error: 'the receiver closed the connection before the answer was complete' }));
        response.on('end', () => finish({ status: response.statusCode ?? 0, text: text.slice(0, MAX_RESPONSE_CHARS) }));
      });
      request.end(req.body);
    });
  }

  /** Closes the pooled connections (on shutdown). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

function describeError(e: NodeJS.ErrnoException): string {
  const message = e?.message ?? 'request failed';
  const code = e?.code && !message.includes(e.code) ? ` (${e.code})` : '';
  return `${message}${code}`.slice(0, 500);
}
