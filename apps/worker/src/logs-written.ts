import { EventEmitter } from 'node:events';
import pino from 'pino';

/** Longest wait for a destination that never reports being idle (a transport thread, say). */
const MAX_WAIT_MS = 1_000;

/**
 * Resolves once everything logged so far has been written out. pino's own flush(cb) answers at
 * once for its default asynchronous stdout (sonic-boom with minLength 0), with writes still
 * queued; an empty write queues behind them, and the stream says 'drain' when the queue is empty.
 */
export function logsWritten(root: pino.Logger): Promise<void> {
  const stream = (root as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return new Promise((done) => {
    const timer = setTimeout(done, MAX_WAIT_MS);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    if (stream instanceof EventEmitter && typeof (stream as { write?: unknown }).write === 'function') {
      stream.once('drain', finish);
      (stream as unknown as { write: (chunk: string) => void }).write('');
    } else {
      root.flush(finish);
    }
  });
}
