import { EventEmitter } from 'node:events';
import { get, IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface SseEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
  receivedAt: number;
}

/** A text/event-stream client on node's http.get, parsing events as the spec says (blank line ends one). */
export class SseClient extends EventEmitter {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';

  private constructor(
    private readonly res: IncomingMessage,
    readonly openedAt: number,
  ) {
    super();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.feed(chunk));
    res.on('end', () => this.finish());
    res.on('close', () => this.finish());
    res.on('error', () => this.finish());
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  get headers(): IncomingHttpHeaders {
    return this.res.headers;
  }

  /** Resolves with the response; a non-200 answer is read whole (its problem body). */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient & { body?: Record<string, unknown> }> {
    const openedAt = Date.now();
    return new Promise((resolve, reject) => {
      const req = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) {
          let raw = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (raw += c));
          res.on('end', () => resolve(Object.assign(new SseClient(res, openedAt), { body: raw ? JSON.parse(raw) : undefined })));
          return;
        }
        resolve(new SseClient(res, openedAt));
      });
      req.on('error', reject);
    });
  }

  /** The first event (already received or to come) that satisfies `match`, or an error after `timeoutMs`. */
  next(match: (e: SseEvent) => boolean, timeoutMs = 5000, what = 'an event'): Promise<SseEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const onEvent = (e: SseEvent) => {
        if (!match(e)) return;
        cleanup();
        resolve(e);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what} did not arrive in ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('event', onEvent);
      };
      this.on('event', onEvent);
    });
  }

  /** Resolves once the server has ended the stream. */
  closedByServer(timeoutMs = 5000): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the stream was not ended in ${timeoutMs} ms`)), timeoutMs);
      this.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.res.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '') continue;
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'id') id = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length === 0) continue;
      const parsed: SseEvent = { event, id, data: JSON.parse(data.join('\n')), receivedAt: Date.now() };
      this.events.push(parsed);
      this.emit('event', parsed);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('end');
  }
}
