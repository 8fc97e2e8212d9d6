/**
 * Preloaded into a bench's mail-in app (`BENCH_APP_NODE_ARGS="-r <abs>/dist/bench/arrival-trace.js"` with
 * BENCH_ARRIVAL_TRACE_FILE set) — never into the app itself: where an SMTP arrival's time goes in the
 * listener. Every second it appends one JSON line of running totals: the arrivals received
 * (`InboundMailProcessing.receive`, from the message's end of DATA to its answer) and their time in it
 * — parsing (mailparser), waiting for a batch (into the batcher → its batch starts), in their batch (its
 * transaction, commit included, and answering its callers), the rest is the answer reaching the session —; the
 * batches (how many, their sizes, how many started while another ran, how many found the worker's
 * pool without an idle connection); the process's RSS; and the event loop's utilisation and delay (1 ms
 * resolution) over the last second. Wrapping only: the app's code runs as it is.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const file = process.env.BENCH_ARRIVAL_TRACE_FILE;
/** The listener's process: mail-in, or the worker on builds from before mail-in. */
const listenerApp = existsSync(join(__dirname, '..', 'apps', 'mail-in', 'src', 'main.js')) ? join('apps', 'mail-in') : join('apps', 'worker');
// Only when preloaded (`-r`: no main module yet) into the listener's process.
if (file && require.main === undefined && !process.env.JEST_WORKER_ID && (process.argv[1] ?? '').includes(listenerApp)) {
  const dist = join(__dirname, '..');
  /* eslint-disable @typescript-eslint/no-require-imports -- patched before the app loads them */
  const batcher = require(join(dist, 'libs/queue/src/micro-batcher.js')) as { MicroBatcher: { prototype: Record<string, unknown> } };
  const inbound = require(join(dist, 'libs/channels/src/inbound/inbound-mail-processing.service.js')) as {
    ARRIVAL_BATCH: object;
    InboundMailProcessing: { prototype: Record<string, unknown> };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const totals = {
    arrivals: 0,
    receiveMs: 0,
    /** mailparser's simpleParser, every call in the process (the listener's, and the `inbound-email` job's: none in the bench). */
    parses: 0,
    parseMs: 0,
    waitMs: 0,
    batchMs: 0,
    batches: 0,
    batchedMails: 0,
    sizes: {} as Record<number, number>,
    /** Batches that started while another was running. */
    overlapping: 0,
    /** Batches that started with no idle connection in the worker's pool, and the checkouts already waiting then (summed). */
    poolNoIdle: 0,
    poolWaiting: 0,
  };
  /** The worker's pg pool (TypeORM's `driver.master`), seen through the service's DataSource. */
  let pool: { idleCount: number; waitingCount: number } | undefined;
  const addedAt = new WeakMap<object, number>();
  const startedAt = new WeakMap<object, number>();
  let running = 0;
  const proto = batcher.MicroBatcher.prototype as {
    add(this: { options: object }, item: object): Promise<unknown>;
    runBatch(this: { options: object }, batch: Array<{ item: object }>): Promise<void>;
  };
  const add = proto.add;
  proto.add = function (this: { options: object }, item: object) {
    if (this.options === inbound.ARRIVAL_BATCH) addedAt.set(item, performance.now());
    return add.call(this, item);
  };
  const runBatch = proto.runBatch;
  proto.runBatch = async function (this: { options: object }, batch: Array<{ item: object }>) {
    if (this.options !== inbound.ARRIVAL_BATCH) return runBatch.call(this, batch);
    const start = performance.now();
    if (running > 0) totals.overlapping++;
    if (pool) {
      if (pool.idleCount === 0) totals.poolNoIdle++;
      totals.poolWaiting += pool.waitingCount;
    }
    running++;
    for (const { item } of batch) {
      totals.waitMs += start - (addedAt.get(item) ?? start);
      startedAt.set(item, start);
    }
    try {
      await runBatch.call(this, batch);
    } finally {
      running--;
      totals.batches++;
      totals.batchedMails += batch.length;
      totals.sizes[batch.length] = (totals.sizes[batch.length] ?? 0) + 1;
      totals.batchMs += (performance.now() - start) * batch.length;
    }
  };
  const service = inbound.InboundMailProcessing.prototype as { receive(this: unknown, mail: unknown): Promise<string> };
  const receive = service.receive;
  service.receive = async function (this: unknown, mail: unknown) {
    const start = performance.now();
    pool ??= (this as { dataSource: { driver: { master: { idleCount: number; waitingCount: number } } } }).dataSource.driver.master;
    try {
      return await receive.call(this, mail);
    } finally {
      totals.arrivals++;
      totals.receiveMs += performance.now() - start;
    }
  };
  const mailparser = require('mailparser') as { simpleParser: (...args: unknown[]) => Promise<unknown> }; // eslint-disable-line @typescript-eslint/no-require-imports
  const simpleParser = mailparser.simpleParser;
  mailparser.simpleParser = async (...args: unknown[]) => {
    const start = performance.now();
    try {
      return await simpleParser(...args);
    } finally {
      totals.parses++;
      totals.parseMs += performance.now() - start;
    }
  };
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let elu = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, elu);
    elu = now;
    const line = {
      at: Date.now(),
      ...totals,
      /** The worker's resident memory (its threads' included), MiB. */
      rssMiB: Math.round(process.memoryUsage().rss / 1048576),
      loop: {
        utilisation: Math.round(window.utilization * 1000) / 1000,
        delayMeanMs: Math.round(delay.mean / 1e4) / 100,
        delayP99Ms: Math.round(delay.percentile(99) / 1e4) / 100,
        delayMaxMs: Math.round(delay.max / 1e4) / 100,
      },
    };
    delay.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000);
  timer.unref();
}
