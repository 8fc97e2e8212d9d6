/**
 * What both benchmarks share: a throw-away PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL
 * are given), the BUILT API as a child process, a tiny JSON client, and CPU/RSS sampling from
 * /proc so a run shows where the machine's time went.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { GcWindow } from './gc-tally';
import type { WaitsWindow } from './api-waits';
import { Client } from 'pg';
import {
  AppName,
  appRuntimeEnv,
  freePort,
  releaseEmbeddedPostgresSignalHooks,
  RunningPostgres,
  RunningRedis,
  startEmbeddedPostgres,
  startLocalRedis,
} from '@helpdesk/devstack';

export const say = (line: string): void => void process.stdout.write(`[bench] ${line}\n`);

/** dist/bench/x.js → dist/apps/api/src/main.js (works for any outDir the build used). */
const API_MAIN = resolve(__dirname, '..', 'apps', 'api', 'src', 'main.js');

export interface BenchStack {
  databaseUrl: string;
  redisUrl: string;
  apiUrl: string;
  adminToken: string;
  api: ChildProcess;
  /** Embedded PostgreSQL, when this run started it (for CPU accounting of its processes). */
  postgresDataDir?: string;
  redisPid?: number;
  workDir: string;
  apiLog: string;
  /** BENCH_GC=1: where the api's preloaded gc-tally.js appends one line per measured window (`gcWindow`). */
  apiGcFile?: string;
  /** BENCH_WAITS=1: where the api's preloaded api-waits.js appends one line per measured window (`waitsWindow`). */
  apiWaitsFile?: string;
  /** API, Redis, PostgreSQL, then the temporary directory. Safe to call twice. */
  stop: () => Promise<void>;
  /**
   * Stops the API and starts it again on the same servers, flags and log (a new pid and port in
   * `api` and `apiUrl`): for figures of the first requests after a start on data seeded meanwhile.
   */
  restartApi: () => Promise<void>;
}

export interface StackOptions {
  name: string;
  /** Extra environment for the API process. */
  apiEnv?: Record<string, string>;
  /** Extra node flags for the API process (a bench's own preload, `-r <file>`). */
  apiNodeFlags?: string[];
}

/** Where BENCH_CPU_PROF=1 leaves the API's .cpuprofile (summarise with dist/bench/cpu-profile-summary.js). */
export const PROFILE_DIR = join(tmpdir(), 'helpdesk-bench-profiles');

/**
 * BENCH_APP_NODE_ARGS: node flags on the command line of every api and worker a bench starts (they
 * win over the apps' own, which come in NODE_OPTIONS): an A/B switch for runtime flags, V8's heap
 * flags included (Node.js refuses most of them in NODE_OPTIONS).
 */
const BENCH_APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(/\s+/).filter((arg) => arg !== '');

/**
 * BENCH_GC=1: the api runs with gc-tally.js preloaded, and `gcWindow` counts V8's collections (count,
 * pause ms, bytes allocated) over a measured window — load-independent figures of the heap flags.
 */
export const GC_TALLY = resolve(__dirname, 'gc-tally.js');

/** BENCH_WAITS=1: the api runs with api-waits.js preloaded (event-loop delay, pg pool checkouts per window: `waitsWindow`). */
const API_WAITS = resolve(__dirname, 'api-waits.js');

const truthy = (v: string | undefined, fallback: boolean) => (v === undefined || v === '' ? fallback : !/^(0|false|no|off)$/i.test(v));

/** What a bench's body answers: false when a check failed (the process then exits 1, as on an error). */
export type BenchOutcome = boolean | void;

/**
 * How every bench runs and ends: starts the stack, runs `body` on it, prints a failure (its stack
 * trace and the API log's tail), then `cleanup` (what the body started: workers, browsers, clients)
 * and the stack's stop whatever happened, then `after` (a summary printed once everything is down),
 * and exits: 0 unless the body answered false or threw.
 */
export function runBench(
  options: StackOptions,
  body: (stack: BenchStack) => Promise<BenchOutcome>,
  finish: { cleanup?: () => Promise<void>; after?: () => void } = {},
): void {
  void (async () => {
    let ok = false;
    let stack: BenchStack | undefined;
    try {
      stack = await startBenchStack(options);
      ok = (await body(stack)) !== false;
    } catch (error) {
      say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (stack) say(`API log tail:\n${tail(stack.apiLog)}`);
    } finally {
      await finish.cleanup?.().catch((error: unknown) => say(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
      await stack?.stop();
    }
    finish.after?.();
    process.exit(ok ? 0 : 1);
  })();
}

export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  releaseEmbeddedPostgresSignalHooks();
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run \`npm run build\` first`);
  const workDir = await mkdtemp(join(tmpdir(), `helpdesk-${options.name}-`));
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  let api: ChildProcess | undefined;
  let stopped = false;
  const profiling = truthy(process.env.BENCH_CPU_PROF, false);

  const stopApi = async () => {
    if (api && api.exitCode === null && api.signalCode === null) {
      const child = api;
      await new Promise<void>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        // A profiled API exits normally on SIGUSR2 (see below) so that --cpu-prof writes its file.
        child.kill(profiling ? 'SIGUSR2' : 'SIGTERM');
      });
      if (profiling) say(`CPU profile of the API in ${PROFILE_DIR}`);
    }
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopApi();
    if (redis) await redis.stop().catch((e: Error) => say(`redis: ${e.message}`));
    if (postgres) await postgres.stop().catch((e: Error) => say(`postgres: ${e.message}`));
    if (!truthy(process.env.BENCH_KEEP_TMP, false)) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    else say(`kept ${workDir}`);
  };
  const onSignal = () => {
    say('interrupted: stopping the stack …');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    let databaseUrl = process.env.DATABASE_URL;
    let postgresDataDir: string | undefined;
    if (!databaseUrl) {
      // Same settings as `npm start` (durable: fsync on) unless BENCH_PG_DURABLE=0.
      const durable = truthy(process.env.BENCH_PG_DURABLE, true);
      postgresDataDir = join(workDir, 'postgres');
      say(`starting the embedded PostgreSQL in ${postgresDataDir} (${durable ? 'durable: fsync on' : 'fsync off'}) …`);
      // BENCH_PG_STATEMENTS=1: pg_stat_statements (with the statements inside functions, and their planning) for the bench to report.
      const extraFlags = truthy(process.env.BENCH_PG_STATEMENTS, false)
        ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on']
        : [];
      postgres = await startEmbeddedPostgres({ dataDir: postgresDataDir, durable, database: 'helpdesk', extraFlags });
      databaseUrl = postgres.url;
    } else {
      say('using DATABASE_URL');
      // BENCH_PG_DATA_DIR: that PostgreSQL's data directory on this machine, for its CPU in the figures.
      postgresDataDir = process.env.BENCH_PG_DATA_DIR || undefined;
    }
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      say('starting redis-server (no persistence: nothing reaches Redis while no worker runs) …');
      redis = await startLocalRedis({ dataDir: join(workDir, 'redis'), durable: false });
      redisUrl = redis.url;
    } else say('using REDIS_URL');

    const adminToken = `hds_bench_${randomBytes(16).toString('hex')}`;
    const apiLog = join(workDir, 'api.log');
    const apiGcFile = truthy(process.env.BENCH_GC, false) ? join(workDir, 'api-gc.jsonl') : undefined;
    const apiWaitsFile = truthy(process.env.BENCH_WAITS, false) ? join(workDir, 'api-waits.jsonl') : undefined;
    const nodeFlags = [...(profiling ? cpuProfileFlags(workDir) : []), ...(apiGcFile ? ['-r', GC_TALLY] : []), ...(apiWaitsFile ? ['-r', API_WAITS] : []), ...(options.apiNodeFlags ?? [])];
    const env = { ...options.apiEnv, ...(apiGcFile ? { BENCH_GC_FILE: apiGcFile } : {}), ...(apiWaitsFile ? { BENCH_WAITS_FILE: apiWaitsFile } : {}) };
    const spawnOptions = { databaseUrl, redisUrl, adminToken, log: apiLog, nodeFlags, env };
    const started = await spawnApi(spawnOptions);
    api = started.child;
    const stack: BenchStack = { databaseUrl, redisUrl, apiUrl: started.url, adminToken, api, postgresDataDir, redisPid: redis?.process.pid, workDir, apiLog, apiGcFile, apiWaitsFile, stop, restartApi };
    async function restartApi(): Promise<void> {
      await stopApi();
      const again = await spawnApi(spawnOptions);
      api = again.child;
      stack.api = again.child;
      stack.apiUrl = again.url;
    }
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The BUILT api as a child process, once it answers its readiness probe. */
async function spawnApi(o: { databaseUrl: string; redisUrl: string; adminToken: string; log: string; nodeFlags?: string[]; env?: Record<string, string> }): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const logFd = openSync(o.log, 'a');
  const child = spawn(process.execPath, [...BENCH_APP_NODE_ARGS, ...(o.nodeFlags ?? []), API_MAIN], {
    env: appRuntimeEnv({
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: o.redisUrl,
      PORT: String(port),
      WORKER_PORT: '0',
      BOOTSTRAP_ADMIN_TOKEN: o.adminToken,
      // The benches' webhook receivers listen on this machine.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      // Counted (the cost is part of the figures) but never reached: one bench client is a flood.
      RATE_LIMIT_CUSTOMER: '1000000000',
      RATE_LIMIT_STAFF: '1000000000',
      RATE_LIMIT_ANONYMOUS: '1000000000',
      ...o.env,
    }, 'api'),
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  say(`starting the API (${API_MAIN}) on port ${port}, pid ${child.pid} …`);
  await waitReady(url, child, o.log);
  return { child, url };
}

/** Another API process on the stack's PostgreSQL and Redis (scale-out); stop it with `stopBenchWorker`-like SIGTERM. */
export async function startExtraApi(stack: BenchStack, name: string): Promise<{ child: ChildProcess; url: string; log: string }> {
  const log = join(stack.workDir, `${name}.log`);
  return { ...(await spawnApi({ databaseUrl: stack.databaseUrl, redisUrl: stack.redisUrl, adminToken: stack.adminToken, log })), log };
}

/**
 * Node flags for a child that writes a CPU profile (--cpu-prof, into PROFILE_DIR): it exits
 * normally on SIGUSR2, so that the profile gets written.
 */
function cpuProfileFlags(workDir: string): string[] {
  const preload = join(workDir, 'exit-on-sigusr2.js');
  writeFileSync(preload, "process.on('SIGUSR2', () => process.exit(0));\n");
  mkdirSync(PROFILE_DIR, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, '-r', preload];
}

/** dist/bench/x.js → dist/apps/worker/src/main.js. */
const WORKER_MAIN = resolve(__dirname, '..', 'apps', 'worker', 'src', 'main.js');
/** dist/bench/x.js → dist/apps/mail-in/src/main.js (the inbound SMTP listener). */
const MAIL_IN_MAIN = resolve(__dirname, '..', 'apps', 'mail-in', 'src', 'main.js');
/** BENCH_WORKER_CPU_PROF=1: workers run with --cpu-prof (summarise with cpu-profile-summary.js). */
const WORKER_PROFILING = truthy(process.env.BENCH_WORKER_CPU_PROF, false);

export interface RunningWorker {
  child: ChildProcess;
  log: string;
  spawnedAt: number;
  readyAt: number;
}

/** The BUILT worker as a child process on the stack's PostgreSQL and Redis, once it says it is ready; `env` adds to its environment. */
export function startBenchWorker(stack: BenchStack, name = 'worker', env: Record<string, string> = {}): Promise<RunningWorker> {
  return startBenchApp(stack, 'worker', WORKER_MAIN, name, env);
}

/** The BUILT mail-in app (the inbound SMTP listener: give INBOUND_SMTP_PORT) as a child process, like startBenchWorker (and stopped with stopBenchWorker). */
export function startBenchMailIn(stack: BenchStack, env: Record<string, string> = {}): Promise<RunningWorker> {
  return startBenchApp(stack, 'mail-in', MAIL_IN_MAIN, 'mail-in', env);
}

/** `app`'s built `main` with the runtime flags it ships with (appRuntimeEnv's, as the launcher gives them); `name` names its log. */
async function startBenchApp(stack: BenchStack, app: AppName, main: string, name: string, env: Record<string, string>): Promise<RunningWorker> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const log = join(stack.workDir, `${name}.log`);
  const fd = openSync(log, 'a');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...BENCH_APP_NODE_ARGS, ...(WORKER_PROFILING ? cpuProfileFlags(stack.workDir) : []), main], {
    env: appRuntimeEnv({
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: stack.redisUrl,
      WORKER_PORT: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ...env,
    }, app),
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} not ready within 120 s:\n${tail(log)}`)), 120_000);
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        ready();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${tail(log)}`));
    });
  });
  return { child, log, spawnedAt, readyAt: performance.now() };
}

/** SIGTERM (SIGUSR2 when profiled), SIGKILL after 20 s. */
export function stopBenchWorker(worker: RunningWorker): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill(WORKER_PROFILING ? 'SIGUSR2' : 'SIGTERM');
  });
}

/** The load generators' own connections: node:http keep-alive (fetch cost a bench ≈ 3× the CPU per POST). */
const loadAgent = new HttpAgent({ keepAlive: true, maxSockets: 512 });

/** POST a JSON body with a bearer token through `loadAgent`; never rejects on an HTTP status. */
export function postJson(url: string, token: string, payload: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent: loadAgent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

async function waitReady(url: string, api: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let exited: string | undefined;
  api.once('exit', (code, signal) => (exited = `${signal ?? code}`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the API exited (${exited}) before it was ready:\n${tail(log)}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the API was not ready within 120 s:\n${tail(log)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** A JSON call against the API that fails loudly on an unexpected status. */
export async function call<T = Record<string, unknown>>(
  stack: { apiUrl: string },
  token: string,
  method: string,
  path: string,
  body?: unknown,
  expect: number[] = [200, 201],
): Promise<T> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export async function withPg<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const SUPPORT_PLAN = {
  name: 'Partner Premier 24x7',
  timezone: 'Europe/Madrid',
  businessHours: [],
  holidays: ['2026-12-25', '2027-01-01'],
  contactMethods: ['email', 'portal', 'phone', 'chat'],
  price: { amountMinor: 49900, currency: 'EUR', period: 'month' },
  targets: {
    P1: { firstResponseMinutes: 15, resolutionMinutes: 240 },
    P2: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    P3: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
    P4: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
  },
};

const CUSTOMER_NAMES = [
  'Contoso', 'Fabrikam', 'Northwind Traders', 'Tailspin Toys', 'Wide World Importers', 'Adventure Works',
  'Litware', 'Proseware', 'Lucerne Publishing', 'Coho Winery', 'Alpine Ski House', 'Bellows College',
  'Fourth Coffee', 'Margie Travel', 'Trey Research', 'Woodgrove Bank', 'Graphic Design Institute',
  'Humongous Insurance', 'Blue Yonder Airlines', 'City Power & Light', 'Wingtip Toys', 'Relecloud',
  'Consolidated Messenger', 'School of Fine Art', 'VanArsdel',
];

/** A support plan and `count` customers through the API; `tokens` also issues customer tokens. */
export async function createCustomers(
  stack: BenchStack,
  count: number,
  tokens: boolean,
): Promise<Array<{ id: string; domain: string; token?: string }>> {
  const plan = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/support-plans', SUPPORT_PLAN);
  const run = randomBytes(3).toString('hex');
  const customers: Array<{ id: string; domain: string; token?: string }> = [];
  for (let i = 0; i < count; i++) {
    const name = `${CUSTOMER_NAMES[i % CUSTOMER_NAMES.length]}${i >= CUSTOMER_NAMES.length ? ` ${i}` : ''}`;
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${run}.example`;
    const customer = await call<{ id: string }>(stack, stack.adminToken, 'POST', '/api/v1/customers', { name, domain, supportPlanId: plan.id });
    const token = tokens ? (await call<{ token: string }>(stack, stack.adminToken, 'POST', `/api/v1/customers/${customer.id}/tokens`)).token : undefined;
    customers.push({ id: customer.id, domain, token });
  }
  return customers;
}

/** A staff token for ticket work: a helpdesk_agent if the agents API takes one, else the admin's. */
export async function helpdeskAgentToken(stack: BenchStack): Promise<{ token: string; who: string }> {
  try {
    const agent = await call<{ token?: string }>(stack, stack.adminToken, 'POST', '/api/v1/agents', {
      name: 'Bench Agent',
      email: `bench-${randomBytes(3).toString('hex')}@partner.example`,
      roles: ['helpdesk_agent'],
    });
    if (agent.token) return { token: agent.token, who: 'helpdesk_agent' };
  } catch (error) {
    say(`could not create a helpdesk_agent (${(error as Error).message.slice(0, 200)}); using the global_admin token`);
  }
  return { token: stack.adminToken, who: 'global_admin' };
}

// ---- /proc sampling -------------------------------------------------------------------------

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A field of /proc/<pid>/status in bytes (0 when the process is gone). */
export function procStatus(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** utime + stime of one process, in seconds. */
/** utime + stime of a process in seconds, from /proc; with `reaped`, also its exited children's. */
export function cpuSeconds(pid: number | undefined, reaped = false): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0)) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the embedded PostgreSQL (when this run started it): the postmaster with the
 * backends that have exited, plus the running ones.
 */
export function postgresCpuSeconds(dataDir?: string): number {
  if (!dataDir) return 0;
  try {
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let sum = cpuSeconds(postmaster, true);
    for (const child of readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/)) {
      if (child) sum += cpuSeconds(Number(child));
    }
    return sum;
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the whole machine (every process, including other people's work). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = line[3] + line[4];
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

export interface CpuSnapshot {
  at: number;
  /** CPU seconds of each named process (a name may stand for several pids, summed). */
  processes: Record<string, number>;
  postgres: number;
  bench: number;
  machine: { busy: number; total: number };
}

/** CPU seconds so far of the named processes, the stack's PostgreSQL, this process and the whole machine. */
export function cpuSnapshotOf(stack: BenchStack, processes: Record<string, number | undefined | Array<number | undefined>>): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    processes: Object.fromEntries(Object.entries(processes).map(([name, pids]) => [name, [pids].flat().reduce<number>((sum, pid) => sum + cpuSeconds(pid), 0)])),
    postgres: postgresCpuSeconds(stack.postgresDataDir),
    bench: (usage.user + usage.system) / 1e6,
    machine: machineCpu(),
  };
}

/** The stack's API, Redis and (when given) the workers, summed as `worker`. */
export function cpuSnapshot(stack: BenchStack, workers: RunningWorker[] = []): CpuSnapshot {
  return cpuSnapshotOf(stack, { ...(workers.length > 0 ? { worker: workers.map((w) => w.child.pid) } : {}), api: stack.api.pid, redis: stack.redisPid });
}

/** CPU used between two snapshots, in cores (1.0 = one core busy all the time): each named process, then the rest. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const wall = (b.at - a.at) / 1000;
  const cores = (x: number) => Math.round((x / wall) * 100) / 100;
  const used = Object.entries(b.processes).map(([name, seconds]) => [name, seconds - (a.processes[name] ?? 0)] as const);
  const machineBusy = b.machine.busy - a.machine.busy;
  const ours = used.reduce((sum, [, seconds]) => sum + seconds, 0) + (b.postgres - a.postgres) + (b.bench - a.bench);
  return {
    ...Object.fromEntries(used.map(([name, seconds]) => [name, cores(seconds)])),
    postgres: cores(b.postgres - a.postgres),
    loadGenerator: cores(b.bench - a.bench),
    machineBusy: cores(machineBusy),
    otherProcesses: cores(Math.max(0, machineBusy - ours)),
    machineCores: cpus().length,
  };
}

/**
 * CPU ms a request between two snapshots, by part: each named process, PostgreSQL (0 unless its data
 * directory is known), the load generator (this process) and their sum (`total`: the whole request
 * on the machine, other people's processes apart). Load-independent, unlike the cores.
 */
export function cpuMsPerRequest(a: CpuSnapshot, b: CpuSnapshot, requests: number): Record<string, number> {
  const ms = (seconds: number) => (requests > 0 ? Math.round(((seconds * 1000) / requests) * 100) / 100 : 0);
  const parts: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(b.processes)) parts[name] = ms(seconds - (a.processes[name] ?? 0));
  parts.postgres = ms(b.postgres - a.postgres);
  parts.loadGenerator = ms(b.bench - a.bench);
  parts.total = Math.round(Object.values(parts).reduce((sum, x) => sum + x, 0) * 100) / 100;
  return parts;
}

/** Samples the API's RSS every 250 ms; peak is max(sampled VmRSS, the kernel's VmHWM). */
export function rssSampler(pid: number): { stop: () => { peakRss: number; vmHwm: number } } {
  let peak = procStatus(pid, 'VmRSS');
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatus(pid, 'VmRSS'));
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      const vmHwm = procStatus(pid, 'VmHWM');
      return { peakRss: Math.max(peak, vmHwm), vmHwm };
    },
  };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export function machineDescription(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  let load = '';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    // not Linux
  }
  return `${cpus().length} × ${model}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load}`;
}

/**
 * BENCH_PG_STATEMENTS=1: the statements PostgreSQL spent its time on during a phase (pg_stat_statements,
 * statements inside functions included, so a function's total also counts in its statements'),
 * per item (ticket) of the phase. Reset at the start of each phase.
 */
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';

export async function resetStatementStats(pg: Client): Promise<void> {
  if (!PG_STATEMENTS) return;
  await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await pg.query('SELECT pg_stat_statements_reset()');
}

export async function statementStats(pg: Client, items: number, phase: string): Promise<string[]> {
  if (!PG_STATEMENTS) return [];
  const { rows } = await pg.query<{ calls: number; plans: number; total: number; plan: number; mean: number; rows: number; query: string; toplevel: boolean }>(
    `SELECT calls::int, plans::int, total_exec_time::float8 AS total, total_plan_time::float8 AS plan, mean_exec_time::float8 AS mean, rows::int, toplevel,
            regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%'
      ORDER BY total_exec_time + total_plan_time DESC LIMIT 16`,
  );
  const [all] = (
    await pg.query<{ plan: number; plans: number }>(
      `SELECT coalesce(sum(total_plan_time), 0)::float8 AS plan, coalesce(sum(plans), 0)::int AS plans FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%'`,
    )
  ).rows;
  const perItem = (ms: number) => ((ms * 1000) / Math.max(1, items)).toFixed(0);
  return [
    `${phase} planning, all statements: ${perItem(all.plan)} µs/ticket, ${all.plans} plans`,
    ...rows.map(
      (r) =>
        `${phase} statement: ${perItem(r.total)} µs/ticket (+ ${perItem(r.plan)} planning, ${r.plans} plans), ${r.calls} calls, mean ${(r.mean * 1000).toFixed(0)} µs, ${r.rows} rows${r.toplevel ? '' : ' (nested)'}: ${r.query.slice(0, 160)}`,
    ),
  ];
}

/** What a window's statements read: PostgreSQL's buffers found in shared_buffers or read, the time reading and the bytes from storage. */
export interface PgReads {
  /** Buffers found in PostgreSQL's shared_buffers, per request. */
  hitPerRequest: number;
  /** Buffers PostgreSQL had to read (from the OS page cache or from storage), per request. */
  readPerRequest: number;
  /** ms spent in those reads (track_io_timing), per request: page-cache reads cost µs, storage reads ms. */
  readMsPerRequest: number | null;
  /** MiB the api's backends read from storage (/proc/<pid>/io read_bytes; not the page cache). */
  storageMiB: number | null;
  /** The api's backends that started during the window (a new connection of its pool). */
  newBackends: number;
}

/**
 * BENCH_PG_STATEMENTS=1: the buffers the statements of a window read (pg_stat_statements, updated as
 * each statement ends), what reading cost (with track_io_timing on) and the api's backends that
 * began meanwhile. Tells a cold cache (PostgreSQL's or the OS's) from a warm one without timing anything.
 */
export async function pgReadsWindow(databaseUrl: string): Promise<{ stop: (requests: number) => Promise<PgReads | undefined> }> {
  if (!PG_STATEMENTS) return { stop: async () => undefined };
  const snapshot = () =>
    withPg(databaseUrl, async (pg) => {
      const [s] = (
        await pg.query(
          `SELECT coalesce(sum(shared_blks_hit), 0)::float8 AS hit, coalesce(sum(shared_blks_read), 0)::float8 AS read,
                  coalesce(sum(shared_blk_read_time), 0)::float8 AS ms, current_setting('track_io_timing')::bool AS timed, now() AS at
             FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows as Array<{ hit: number; read: number; ms: number; timed: boolean; at: Date }>;
      const backends = (await pg.query(`SELECT pid, backend_start AS started FROM pg_stat_activity WHERE application_name = 'helpdesk'`)).rows as Array<{ pid: number; started: Date }>;
      const storage = new Map<number, number>();
      for (const b of backends) {
        try {
          const bytes = /read_bytes: (\d+)/.exec(readFileSync(`/proc/${b.pid}/io`, 'utf8'));
          if (bytes) storage.set(b.pid, Number(bytes[1]));
        } catch {
          // Not this machine's PostgreSQL, or not ours to read.
        }
      }
      return { ...s, backends, storage };
    });
  const before = await snapshot();
  return {
    stop: async (requests) => {
      const after = await snapshot();
      const per = (n: number, digits = 1) => (requests > 0 ? Math.round((n / requests) * 10 ** digits) / 10 ** digits : 0);
      // Backends alive at both ends: their bytes since the start; new ones: all of theirs (one that ended meanwhile is not counted).
      const known = new Set(before.backends.map((b) => b.pid));
      let storageBytes = 0;
      for (const [pid, bytes] of after.storage) storageBytes += bytes - (before.storage.get(pid) ?? 0);
      return {
        hitPerRequest: per(after.hit - before.hit),
        readPerRequest: per(after.read - before.read),
        readMsPerRequest: after.timed ? per(after.ms - before.ms, 2) : null,
        storageMiB: after.backends.length > 0 && after.storage.size === 0 ? null : Math.round((storageBytes / 2 ** 20) * 10) / 10,
        newBackends: after.backends.filter((b) => !known.has(b.pid) || b.started > before.at).length,
      };
    },
  };
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

/**
 * `connections` clients sending GETs for `duration` s, each to the path `next()` gives (a fresh
 * query per request), with the CPU each part of the stack used meanwhile; answers other than 200
 * are counted, with up to three for the report.
 */
/**
 * The api's garbage collections between this call and `stop()` (BENCH_GC=1; otherwise `stop()` gives
 * undefined): SIGWINCH to gc-tally.js at both ends, then its line. `perRequest` divides by `requests`.
 */
export function gcWindow(stack: BenchStack): { stop: (requests: number) => Promise<GcSummary | undefined> } {
  return gcWindowOf(stack.api, stack.apiGcFile);
}

/** The same for any child process run with gc-tally.js preloaded and BENCH_GC_FILE = `file` (the list's bare reference). */
export function gcWindowOf(child: ChildProcess, file: string | undefined): { stop: (requests: number) => Promise<GcSummary | undefined> } {
  if (!file) return { stop: async () => undefined };
  const linesBefore = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  child.kill('SIGWINCH');
  return {
    stop: async (requests) => {
      child.kill('SIGWINCH');
      const deadline = Date.now() + 10_000;
      for (;;) {
        const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
        if (lines.length > linesBefore) return summariseGc(JSON.parse(lines[linesBefore]) as GcWindow, requests);
        if (Date.now() > deadline) throw new Error(`no GC window from pid ${child.pid} in ${file}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** The api's event-loop delay and pg pool checkouts between this call and `stop()` (BENCH_WAITS=1; otherwise undefined): SIGPWR to api-waits.js at both ends. */
export function waitsWindow(stack: BenchStack): { stop: () => Promise<WaitsWindow | undefined> } {
  const file = stack.apiWaitsFile;
  if (!file) return { stop: async () => undefined };
  const linesBefore = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  stack.api.kill('SIGPWR');
  return {
    stop: async () => {
      stack.api.kill('SIGPWR');
      const deadline = Date.now() + 10_000;
      for (;;) {
        const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
        if (lines.length > linesBefore) return JSON.parse(lines[linesBefore]) as WaitsWindow;
        if (Date.now() > deadline) throw new Error(`no waits window from the api in ${file}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export interface GcSummary {
  scavenges: number;
  scavengeMs: number;
  markCompacts: number;
  markCompactMs: number;
  maxPauseMs: number;
  allocatedMiB: number;
  allocatedKiBPerRequest: number;
  gcMsPerRequest: number;
}

function summariseGc(w: GcWindow, requests: number): GcSummary {
  const kind = (name: string) => w.kinds[name] ?? { count: 0, totalMs: 0, maxMs: 0 };
  const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
  const totalMs = Object.values(w.kinds).reduce((sum, k) => sum + k.totalMs, 0);
  return {
    scavenges: kind('Scavenge').count,
    scavengeMs: round(kind('Scavenge').totalMs),
    markCompacts: kind('MarkSweepCompact').count,
    markCompactMs: round(kind('MarkSweepCompact').totalMs),
    maxPauseMs: round(Math.max(0, ...Object.values(w.kinds).map((k) => k.maxMs)), 2),
    allocatedMiB: round(w.allocatedMiB),
    allocatedKiBPerRequest: requests > 0 ? round((w.allocatedMiB * 1024) / requests) : 0,
    gcMsPerRequest: requests > 0 ? round(totalMs / requests, 3) : 0,
  };
}

export async function measureGets(stack: BenchStack, load: { token: string; connections: number; duration: number; next: () => string; amount?: number }) {
  let wrong = 0;
  const sample: string[] = [];
  const cpu0 = cpuSnapshot(stack);
  const gc = gcWindow(stack);
  const waits = waitsWindow(stack);
  const result = await autocannon({
    url: stack.apiUrl,
    connections: load.connections,
    duration: load.duration,
    // A fixed number of requests instead of a duration: counts (collections, bytes) then compare between runs.
    ...(load.amount ? { amount: load.amount } : {}),
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.path = load.next();
          request.headers = { authorization: `Bearer ${load.token}` };
          return request;
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            wrong++;
            if (sample.length < 3) sample.push(`${status} ${body.slice(0, 200)}`);
          }
        },
      },
    ],
  });
  const cpu1 = cpuSnapshot(stack);
  const cpu = cpuBetween(cpu0, cpu1);
  const requests = result.requests.total;
  const split = cpuMsPerRequest(cpu0, cpu1, requests);
  // Per request, independent of the machine's load: the api's CPU and the bytes of an answer (headers included).
  const perRequest = {
    apiCpuMs: split.api ?? 0,
    // Only the bench's own PostgreSQL is measured (an external DATABASE_URL's processes are not known here).
    ...(stack.postgresDataDir ? { postgresCpuMs: split.postgres } : {}),
    redisCpuMs: split.redis ?? 0,
    // autocannon in this process: sending the requests and reading the answers.
    loadGeneratorCpuMs: split.loadGenerator,
    bytes: requests > 0 ? Math.round(result.throughput.total / requests) : 0,
  };
  // byProcess: the same CPU a request for every part and their total (the whole request on the machine).
  return { result, cpu, perRequest, byProcess: split, wrong, sample, gc: await gc.stop(requests), waits: await waits.stop() };
}

/**
 * What PostgreSQL's client backends are doing, sampled every `intervalMs`: running a statement (CPU or
 * I/O: the wait event says which), waiting on a lock, or idle in a transaction (waiting for the
 * Node.js side to send the next statement). Shows where a transaction spends its time.
 */
export function waitSampler(databaseUrl: string, intervalMs = 200): { stop: () => Promise<string> } {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-wait-sampler' });
  client.on('error', () => undefined);
  const tally = new Map<string, number>();
  let samples = 0;
  let running = true;
  // Never outlives a failed run by much.
  const deadline = Date.now() + 3_600_000;
  const loop = (async () => {
    await client.connect();
    while (running) {
      if (Date.now() > deadline) break;
      const { rows } = await client.query<{ what: string; n: number }>(
        `SELECT CASE WHEN state = 'active' THEN 'active:' || coalesce(wait_event_type || '/' || wait_event, 'on CPU')
                     ELSE state || coalesce(':' || wait_event_type || '/' || wait_event, '') END AS what, count(*)::int AS n
           FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name NOT LIKE 'bench-%'
            AND state <> 'idle'
          GROUP BY 1`,
      );
      samples++;
      for (const r of rows) tally.set(r.what, (tally.get(r.what) ?? 0) + r.n);
      await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop.catch(() => undefined);
      await client.end().catch(() => undefined);
      const total = [...tally.values()].reduce((a, b) => a + b, 0);
      const top = [...tally.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
      return `busy PostgreSQL sessions (avg ${(total / Math.max(1, samples)).toFixed(1)} over ${samples} samples): ` +
        top.map(([k, v]) => `${k} ${((100 * v) / Math.max(1, total)).toFixed(0)} %`).join(', ');
    },
  };
}
