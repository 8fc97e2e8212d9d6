/**
 * `npm run bench:soak`: whether memory stays level under a steady load. Tickets are POSTed through
 * the BUILT API at a fixed rate (BENCH_RATE, default 200/s) for BENCH_SOAK_MINUTES (default 10) with
 * the BUILT worker triaging them, while the API's and the worker's resident memory (VmRSS), Redis
 * `INFO memory` and the job counts of the triage queue are sampled every BENCH_SAMPLE_S (default 10)
 * seconds. Fails when the API's or the worker's memory rises after the warm-up
 * (BENCH_SOAK_WARMUP_S, default 120) by more than BENCH_RSS_MAX_SLOPE MiB a minute (default 1; the
 * trend is in rss-trend.ts), or when a POST is not answered 201. Each sample also splits the API's
 * memory (process-memory.ts: its own /metrics scrape and /proc), and the result gives the trend of
 * each part, so that a rising RSS says whether the V8 heap, memory outside it or mapped files grow. Redis runs as `npm start` runs it
 * (append-only file on). Prints one line per sample and a `BENCH_RESULT` line (figures in
 * bench/README.md, "Memory over a soak" and "Redis memory").
 */
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import {
  BenchStack,
  createCustomers,
  envNumber,
  helpdeskAgentToken,
  machineDescription,
  mib,
  postJson,
  procStatus,
  RunningWorker,
  say,
  sleep,
  runBench,
  startBenchWorker,
  stopBenchWorker,
} from './bench-stack';
import { describeMemory, MemoryBreakdown, memoryBreakdown, memoryMiB } from './process-memory';
import { rssTrend } from './rss-trend';
import { ticketRequests } from './ticket-bodies';

const RATE = envNumber('BENCH_RATE', 200);
const MINUTES = envNumber('BENCH_SOAK_MINUTES', 10);
const SAMPLE_S = envNumber('BENCH_SAMPLE_S', 10);
const WARMUP_S = envNumber('BENCH_SOAK_WARMUP_S', 120);
const MAX_SLOPE = envNumber('BENCH_RSS_MAX_SLOPE', 1);

interface Sample {
  at: number;
  usedMemory: number;
  rss: number;
  keys: number;
  completed: number;
  waiting: number;
  accepted: number;
  apiRss: number;
  workerRss: number;
  api: MemoryBreakdown;
}

interface Pids {
  api: number;
  worker: number;
}

async function sample(stack: BenchStack, redis: Redis, triage: Queue, pids: Pids, startedAt: number, accepted: number): Promise<Sample> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  const at = (performance.now() - startedAt) / 1000;
  const counts = await triage.getJobCounts('completed', 'waiting', 'active', 'delayed');
  const api = await memoryBreakdown(stack.apiUrl, stack.adminToken, pids.api, SAMPLE_S * 1000);
  return {
    at,
    usedMemory: field('used_memory'),
    rss: field('used_memory_rss'),
    keys: await redis.dbsize(),
    completed: counts.completed,
    waiting: counts.waiting + counts.active + counts.delayed,
    accepted,
    apiRss: api.rss,
    workerRss: procStatus(pids.worker, 'VmRSS'),
    api,
  };
}

function main(): void {
  say(`machine: ${machineDescription()}`);
  const workers: RunningWorker[] = [];
  let redis: Redis | undefined;
  let triage: Queue | undefined;
  let failed = false;
  runBench({ name: 'soak' }, async (stack: BenchStack) => {
    redis = new Redis(redisOptionsFromUrl(stack.redisUrl));
    triage = new Queue(QueueName.Triage, { connection: redisOptionsFromUrl(stack.redisUrl) as never, prefix: 'helpdesk' });
    await redis.config('SET', 'appendonly', 'yes');
    const customers = await createCustomers(stack, 20, true);
    const staff = await helpdeskAgentToken(stack);
    const next = ticketRequests(customers, staff.token);
    workers.push(await startBenchWorker(stack));
    const pids: Pids = { api: stack.api.pid ?? 0, worker: workers[0].child.pid ?? 0 };

    const statuses = new Map<number | string, number>();
    let accepted = 0;
    const samples: Sample[] = [];
    const startedAt = performance.now();
    const endAt = startedAt + MINUTES * 60_000;
    samples.push(await sample(stack, redis, triage, pids, startedAt, 0));
    say(`POSTing ${RATE} tickets/s for ${MINUTES} min, sampling memory every ${SAMPLE_S} s …`);

    const pending = new Set<Promise<void>>();
    let nextSample = startedAt + SAMPLE_S * 1000;
    for (let i = 0; ; i++) {
      const due = startedAt + (i * 1000) / RATE;
      if (due >= endAt) break;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const request = next();
      const sent = postJson(`${stack.apiUrl}/api/v1/tickets`, request.token, request.body, request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {})
        .then(({ status }) => {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 201) accepted++;
        })
        .catch((error: NodeJS.ErrnoException) => {
          // No answer at all: counted under the socket error's code (ECONNRESET, …) to tell what happened.
          const key = `error ${error.code ?? error.message}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        });
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
      if (performance.now() >= nextSample) {
        nextSample += SAMPLE_S * 1000;
        // Not awaited: an API behind on its requests answers the scrape late, and the pace must hold meanwhile.
        const taken = sample(stack, redis, triage, pids, startedAt, accepted).then((s) => {
          samples.push(s);
          say(`${s.at.toFixed(0).padStart(4)} s  api ${describeMemory(s.api)}  worker ${mib(s.workerRss)}  redis used_memory ${mib(s.usedMemory)}  rss ${mib(s.rss)}  keys ${s.keys}  triage completed ${s.completed}  waiting ${s.waiting}  tickets ${s.accepted}`);
        });
        pending.add(taken);
        void taken.finally(() => pending.delete(taken));
      }
    }
    await Promise.all(pending);
    samples.push(await sample(stack, redis, triage, pids, startedAt, accepted));
    samples.sort((a, b) => a.at - b.at);

    // Steady state: the second half of the run (the retention bounds are reached well before).
    const late = samples.filter((s) => s.at >= (MINUTES * 60) / 2);
    const first = samples[0];
    const last = samples[samples.length - 1];
    const peak = Math.max(...samples.map((s) => s.usedMemory));
    const trendOf = (rss: (s: Sample) => number) =>
      rssTrend(samples.map((s) => ({ at: s.at, rss: rss(s) })), { warmupS: WARMUP_S, maxMiBPerMinute: MAX_SLOPE });
    const apiRss = trendOf((s) => s.apiRss);
    const workerRss = trendOf((s) => s.workerRss);
    // Which part of the API's memory moves: the slope of each, MiB a minute after the warm-up.
    const apiParts = Object.fromEntries(
      Object.keys(memoryMiB(last.api)).map((part) => [part, trendOf((s) => (memoryMiB(s.api)[part] ?? 0) * 2 ** 20).slopeMiBPerMinute]),
    );
    const result = {
      bench: 'soak',
      rate: RATE,
      minutes: MINUTES,
      tickets: accepted,
      statuses: Object.fromEntries(statuses),
      usedMemoryStartMiB: +(first.usedMemory / 2 ** 20).toFixed(1),
      usedMemoryEndMiB: +(last.usedMemory / 2 ** 20).toFixed(1),
      usedMemoryPeakMiB: +(peak / 2 ** 20).toFixed(1),
      secondHalfMinMiB: +(Math.min(...late.map((s) => s.usedMemory)) / 2 ** 20).toFixed(1),
      secondHalfMaxMiB: +(Math.max(...late.map((s) => s.usedMemory)) / 2 ** 20).toFixed(1),
      triageCompletedKept: last.completed,
      keys: last.keys,
      warmupS: WARMUP_S,
      maxSlopeMiBPerMinute: MAX_SLOPE,
      apiRss,
      workerRss,
      apiMemoryLastMiB: memoryMiB(last.api),
      apiMemorySlopeMiBPerMinute: apiParts,
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
    if ([...statuses.keys()].some((s) => s !== 201 && s !== 200)) {
      failed = true;
      say(`unexpected answers: ${JSON.stringify(result.statuses)}`);
    }
    say(`API memory at the end: ${describeMemory(last.api)}`);
    say(`API memory trend per part (MiB/min): ${Object.entries(apiParts).map(([part, slope]) => `${part} ${slope}`).join(', ')}`);
    for (const [name, trend] of [['API', apiRss], ['worker', workerRss]] as const) {
      say(`${name} RSS after ${WARMUP_S} s: ${trend.firstMiB} → ${trend.lastMiB} MiB, peak ${trend.peakMiB} MiB, trend ${trend.slopeMiBPerMinute} MiB/min over ${trend.samples} samples (limit ${MAX_SLOPE})`);
      if (trend.rising) {
        failed = true;
        say(`${name} memory rises: ${trend.slopeMiBPerMinute} MiB/min`);
      }
    }
    return !failed;
  }, {
    cleanup: async () => {
      await triage?.close();
      redis?.disconnect();
      await Promise.all(workers.map((w) => stopBenchWorker(w)));
    },
    after: () => say(`machine after: ${machineDescription()}`),
  });
}

main();
