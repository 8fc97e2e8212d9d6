import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { testStack } from '@helpdesk/testing';
import { AppName, appRuntimeEnv } from '../../libs/devstack/src/app-runtime';
import { freePort } from '../../libs/devstack/src/free-port';

const DIST = join(__dirname, '..', '..', 'dist', 'apps');
export const WORKER_MAIN = join(DIST, 'worker', 'src', 'main.js');
export const API_MAIN = join(DIST, 'api', 'src', 'main.js');
export const MAIL_IN_MAIN = join(DIST, 'mail-in', 'src', 'main.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A built app running as a child process, so that a test can SIGKILL or SIGTERM it. */
export interface AppProcess {
  child: ChildProcess;
  /** What it wrote to stderr (and stdout), for failure messages. */
  output: () => string;
  exited: Promise<Exit>;
  /** Sends `signal` and waits for the exit. */
  stop: (signal: NodeJS.Signals) => Promise<Exit>;
}

const running: AppProcess[] = [];

/** SIGKILLs whatever a test left running (an afterAll of every file that starts app processes). */
export async function killAppProcesses(): Promise<void> {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
}

async function start(appName: AppName, main: string, env: Record<string, string>, startTimeoutMs: number): Promise<AppProcess> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` before the e2e tests`);
  const child = spawn(process.execPath, [main], {
    env: appRuntimeEnv({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', MIGRATIONS_RUN: 'false', ...env }, appName),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const app: AppProcess = {
    child,
    output: () => out,
    exited,
    stop: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.push(app);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${main} did not start in ${startTimeoutMs} ms: ${out}`)), startTimeoutMs);
    child.on('message', (m: { type?: string }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`${main} exited (${exit.signal ?? exit.code}) before it was ready: ${out}`));
    });
  });
  return app;
}

/** The built worker (run `npm run build` first) on the test API's database and queue prefix and the test Redis. */
export function startWorkerProcess(api: { database: { url: string }; queuePrefix: string }, env: Record<string, string> = {}): Promise<AppProcess> {
  return start('worker', WORKER_MAIN, { WORKER_PORT: '0', DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env }, 60_000);
}

/** The built mail-in app (the inbound SMTP listener: give INBOUND_SMTP_PORT) on the test API's database and queue prefix and the test Redis. */
export function startMailInProcess(api: { database: { url: string }; queuePrefix: string }, env: Record<string, string> = {}): Promise<AppProcess> {
  return start('mail-in', MAIL_IN_MAIN, { DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env }, 60_000);
}

/** The built API on a free port; `url` is where it answers. */
export async function startApiProcess(env: {
  DATABASE_URL: string;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  BOOTSTRAP_ADMIN_TOKEN: string;
  [name: string]: string;
}): Promise<AppProcess & { url: string }> {
  const port = await freePort();
  const app = await start('api', API_MAIN, { PORT: String(port), ...env }, 60_000);
  return Object.assign(app, { url: `http://127.0.0.1:${port}` });
}
