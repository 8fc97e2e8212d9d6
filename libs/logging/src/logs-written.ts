import pino, { Logger } from 'pino';

/** What logsWritten needs of pino's default destination, sonic-boom. */
interface SonicBoomLike {
  sync: boolean;
  minLength: number;
  write: (chunk: string) => boolean;
  once: (event: 'drain', listener: () => void) => unknown;
}

const isAsyncSonicBoom = (stream: unknown): stream is SonicBoomLike =>
  typeof stream === 'object' && stream !== null && (stream as SonicBoomLike).sync === false && typeof (stream as SonicBoomLike).minLength === 'number';

/**
 * Resolves once everything logged so far has been written out, e.g. before an app tells the
 * launcher it is ready (the launcher's banner must come after its start-up lines). The JSON
 * format writes through sonic-boom asynchronously, and pino's flush(cb) answers at once there
 * (minLength 0) with writes still queued: an empty write queues behind them, and sonic-boom says
 * 'drain' once its queue is empty. The pretty format writes synchronously: nothing to wait for.
 */
export function logsWritten(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (!isAsyncSonicBoom(stream) || stream.minLength > 0) return Promise.resolve();
  return new Promise((done) => {
    stream.once('drain', () => done());
    stream.write('');
  });
}
