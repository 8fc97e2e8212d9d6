/**
 * Preloaded into a bench's api (`-r`, BENCH_WAITS=1, bench-stack.ts) — never into the app itself:
 * where a request of a measured window waited inside the api. SIGPWR starts a window, the next
 * SIGPWR ends it and appends one JSON line to BENCH_WAITS_FILE:
 * - the event loop's delay (`monitorEventLoopDelay`, 1 ms resolution): how late a timer that was
 *   due ran, i.e. how long whatever was ready to run waited behind the JavaScript already running;
 * - the pg pool's checkouts (pg-pool's `connect`, which every query goes through): how many, how
 *   many found no idle connection (and how many of those found the pool at its `max`, so waited in
 *   its queue), the most waiting at once, and the time from asking to holding a connection.
 * SIGPWR, because its default action (terminate) is not wanted anywhere else: only a process with
 * this file listens for it.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface WaitsWindow {
  ms: number;
  eventLoopDelayMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  pool: { checkouts: number; noIdle: number; atMax: number; maxWaiting: number; maxTotal: number; waitMeanMs: number; waitP99Ms: number; waitMaxMs: number };
}

interface PoolLike {
  idleCount: number;
  totalCount: number;
  waitingCount: number;
  options: { max: number };
}
type Connect = (this: PoolLike, cb?: (err: Error | undefined, client: unknown, release: unknown) => void) => unknown;

const file = process.env.BENCH_WAITS_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let window: { startedAt: number; waits: number[]; noIdle: number; atMax: number; maxWaiting: number; maxTotal: number } | null = null;

  // pg-pool as the app resolves it (the same node_modules): every query asks it for a connection.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Pool = require('pg-pool') as { prototype: { connect: Connect } };
  const connect = Pool.prototype.connect;
  Pool.prototype.connect = function (this: PoolLike, cb) {
    const w = window;
    if (!w) return connect.call(this, cb);
    const asked = performance.now();
    if (this.idleCount === 0) {
      w.noIdle++;
      if (this.totalCount >= this.options.max) w.atMax++;
    }
    w.maxWaiting = Math.max(w.maxWaiting, this.waitingCount + (this.idleCount === 0 && this.totalCount >= this.options.max ? 1 : 0));
    w.maxTotal = Math.max(w.maxTotal, this.totalCount);
    const held = () => w.waits.push(performance.now() - asked);
    if (typeof cb === 'function') {
      return connect.call(this, (err, client, release) => {
        held();
        cb(err, client, release);
      });
    }
    return (connect.call(this) as Promise<unknown>).then((client) => {
      held();
      return client;
    });
  };

  process.on('SIGPWR', () => {
    if (!window) {
      delay.reset();
      delay.enable();
      window = { startedAt: performance.now(), waits: [], noIdle: 0, atMax: 0, maxWaiting: 0, maxTotal: 0 };
      return;
    }
    delay.disable();
    const w = window;
    window = null;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const sorted = [...w.waits].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
    const round = (x: number) => Math.round(x * 100) / 100;
    const out: WaitsWindow = {
      ms: performance.now() - w.startedAt,
      eventLoopDelayMs: { mean: ms(delay.mean), p50: ms(delay.percentile(50)), p90: ms(delay.percentile(90)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      pool: {
        checkouts: sorted.length,
        noIdle: w.noIdle,
        atMax: w.atMax,
        maxWaiting: w.maxWaiting,
        maxTotal: w.maxTotal,
        waitMeanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
        waitP99Ms: round(at(0.99)),
        waitMaxMs: round(sorted[sorted.length - 1] ?? 0),
      },
    };
    appendFileSync(file, `${JSON.stringify(out)}\n`);
  });
}
