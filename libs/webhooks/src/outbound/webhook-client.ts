import type { OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent, IncomingMessage, request as httpRequest, STATUS_CODES } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, refusalOfAny, resolveAll, ResolveAll, WebhookTargetRefused } from './guarded-lookup';

/** How much of a successful answer is kept (for the ids a receiver sends back); the rest is read and dropped. */
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

/**
 * A 2xx answer with its text; or no success, with the HTTP status (null when there was no answer)
 * and a short reason to record: the status and its standard name, a timeout, a refused target, a
 * network error. The body of an unsuccessful answer is never kept, so nothing a receiver (or an
 * internal service someone pointed a webhook at) answers can be read back through a stored error.
 */
export type WebhookResult = { ok: true; status: number; text: string } | { ok: false; status: number | null; error: string };

export interface WebhookClientOptions {
  /** Allow non-public targets (WEBHOOK_ALLOW_PRIVATE); cloud metadata addresses are refused anyway. */
  allowPrivate: boolean;
  /** Name resolution (tests give a stand-in); node:dns by default. */
  resolve?: ResolveAll;
}

/**
 * POSTs webhooks over kept-alive connections (one pool per process for http and one for https),
 * only to allowed addresses: a literal IP is checked before connecting, a name by the agents'
 * `lookup` at connect time (guardedLookup). The timeout covers the whole exchange: connecting,
 * sending, and reading the answer. Redirects are not followed (a 3xx is an unsuccessful answer).
 * Never throws.
 */
export class WebhookClient implements OnApplicationShutdown {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  private readonly allowPrivate: boolean;

  constructor(options: WebhookClientOptions) {
    this.allowPrivate = options.allowPrivate;
    const lookup = guardedLookup(options.allowPrivate, options.resolve ?? resolveAll);
    this.http = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo', lookup });
    this.https = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo', lookup });
  }

  post(req: WebhookRequest): Promise<WebhookResult> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return Promise.resolve({ ok: false, status: null, error: 'invalid webhook URL' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve({ ok: false, status: null, error: `unsupported webhook URL scheme ${url.protocol}` });
    // A literal address never reaches `lookup`: it is checked here.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) {
      const refused = refusalOfAny(url.hostname, [host], this.allowPrivate);
      if (refused) return Promise.resolve({ ok: false, status: null, error: refused.message });
    }
    const secure = url.protocol === 'https:';

    return new Promise<WebhookResult>((resolve) => {
      let settled = false;
      const finish = (result: WebhookResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const fail = (error: string) => finish({ ok: false, status: null, error });
      const headers = { ...req.headers, 'Content-Length': String(req.body.length) };
      const options = { method: 'POST', headers, agent: secure ? this.https : this.http };
      const request = secure ? httpsRequest(url, options) : httpRequest(url, options);
      const timer = setTimeout(() => {
        fail(`timed out after ${req.timeoutMs} ms`);
        request.destroy();
      }, req.timeoutMs);

      request.on('error', (e: NodeJS.ErrnoException) => fail(describeError(e)));
      request.on('response', (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        response.on('error', (e: NodeJS.ErrnoException) => fail(describeError(e)));
        response.on('aborted', () => fail('the receiver closed the connection before the answer was complete'));
        if (status < 200 || status > 299) {
          // Read to the end (the connection can be reused) and drop: never kept, never shown.
          response.on('end', () => finish({ ok: false, status, error: httpFailure(status) }));
          response.resume();
          return;
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_RESPONSE_CHARS) text += chunk;
        });
        response.on('end', () => finish({ ok: true, status, text: text.slice(0, MAX_RESPONSE_CHARS) }));
      });
      request.end(req.body);
    });
  }

  /** Closes the pooled connections. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  /** After the modules have stopped (the workers' deliveries in flight use these connections). */
  onApplicationShutdown(): void {
    this.close();
  }
}

/** `HTTP 503 Service Unavailable`: the status and its standard name, never the receiver's words. */
export function httpFailure(status: number): string {
  const name = STATUS_CODES[status];
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return `HTTP ${status}${name ? ` ${name}` : ''}${redirect}`;
}

function describeError(e: NodeJS.ErrnoException): string {
  if (e instanceof WebhookTargetRefused) return e.message;
  const message = e?.message ?? 'request failed';
  const code = e?.code && !message.includes(e.code) ? ` (${e.code})` : '';
  return `${message}${code}`.slice(0, 200);
}
