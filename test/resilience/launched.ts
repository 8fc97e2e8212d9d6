/**
 * `npm start` as an operator runs it, for the resilience tests: `npm run start:launcher` (the
 * script `npm start` ends in, after its build) in a process group of its own, like a terminal's
 * foreground job, with embedded PostgreSQL and a local Redis under a data folder of its own.
 * Needs the build (`npm test` builds first, in `pretest`).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import type { SupervisedProcessState } from '@helpdesk/devstack';
import { freePort } from '../../libs/devstack/src/free-port';
import { eventually } from '@helpdesk/testing';

const ROOT = resolve(__dirname, '..', '..');
const LAUNCHER = resolve(ROOT, 'dist/apps/launcher/src/main.js');
/** Starting a whole stack on a loaded 2-core machine: first start (initdb, migrations) included. */
export const START_TIMEOUT_MS = 90_000;
export const ADMIN_TOKEN = 'hds_resilience_admin_token_0123456789';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Launched {
  npm: ChildProcess;
  port: number;
  workerPort: number;
  /** mail-in's inbound SMTP port, as the banner prints it. */
  smtpPort: number;
  api: ReturnType<typeof request>;
  output: () => string;
  /** The `[helpdesk] …` lines of the launcher itself, from `from` on. */
  launcherLines: (from?: string) => string[];
  exited: Promise<Exit>;
  /** The launcher's own process (npm's child). */
  launcherPid: () => number;
  /** What the worker health endpoint reports of the supervised processes (needs the worker up). */
  processes: () => Promise<SupervisedProcessState[]>;
  pidOf: (name: string) => Promise<number>;
}

/** Every npm start launched, so that an afterAll can stop what a failed test left running. */
const launched: Array<{ npm: ChildProcess; exited: Promise<Exit> }> = [];

/** npm start gave up because a port the test had picked free was taken before the stack listened on it. */
class PortTaken extends Error {}

/**
 * How many times a start is tried again on new ports when a picked port was taken meanwhile: `freePort`
 * picks from the kernel's ephemeral range, which every outgoing connection of the other suites draws
 * from, and the API listens only after the embedded PostgreSQL is up, seconds later.
 */
const PORT_TAKEN_RETRIES = 2;

export async function launch(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Launched> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await launchOnce(dataDir, extraEnv);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= PORT_TAKEN_RETRIES) throw error;
    }
  }
}

async function launchOnce(dataDir: string, extraEnv: Record<string, string>): Promise<Launched> {
  if (!existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: run \`npm run build\` before the e2e tests`);
  const [port, workerPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HELPDESK_DATA_DIR: dataDir,
    PORT: String(port),
    WORKER_PORT: String(workerPort),
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
  };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX']) delete env[name];
  Object.assign(env, extraEnv);
  const npm = spawn('npm', ['run', '--silent', 'start:launcher'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<Exit>((done) => npm.once('exit', (code, signal) => done({ code, signal })));
  launched.push({ npm, exited });
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(
    async () => gone || out.includes('Ctrl-C stops everything.'),
    Boolean,
    START_TIMEOUT_MS,
    'the launcher printing its banner',
  );
  if (gone) throw new (/EADDRINUSE/.test(out) ? PortTaken : Error)(`npm start exited before it was up:\n${out}`);

  const worker = request(`http://127.0.0.1:${workerPort}`);
  const processes = async () => {
    const res = await worker.get('/health/ready');
    return (res.body?.launcher?.processes ?? []) as SupervisedProcessState[];
  };
  return {
    npm,
    port,
    workerPort,
    smtpPort: Number(/mail in {2}smtp:\/\/localhost:(\d+)/.exec(out)?.[1]),
    api: request(`http://127.0.0.1:${port}`),
    output: () => out,
    launcherLines: (from) => {
      const lines = out.split('\n').filter((l) => l.startsWith('[helpdesk] ')).map((l) => l.slice('[helpdesk] '.length));
      const at = from === undefined ? 0 : lines.findIndex((l) => l.startsWith(from));
      return at < 0 ? [] : lines.slice(at);
    },
    exited,
    launcherPid: () => {
      const child = allProcesses().find((p) => p.ppid === npm.pid && p.args.includes(LAUNCHER.replace(`${ROOT}/`, '')));
      if (!child) throw new Error(`no launcher under npm (pid ${npm.pid})`);
      return child.pid;
    },
    processes,
    pidOf: async (name) => {
      const found = (await processes()).find((p) => p.name === name);
      if (!found?.pid) throw new Error(`${name} has no pid: ${JSON.stringify(found)}`);
      return found.pid;
    },
  };
}

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

/** Every live process (zombies, already dead, left out). */
export function allProcesses(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[4].startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), args: m[5] }));
}

export const alive = (pids: number[]): number[] => {
  const live = new Set(allProcesses().map((p) => p.pid));
  return pids.filter((pid) => live.has(pid));
};

/** Processes still running from this stack: the given pids, its process group, its data folder. */
export function leftFrom(stack: Launched, pids: number[], dataDir: string): string[] {
  return allProcesses()
    .filter((p) => pids.includes(p.pid) || p.pgid === stack.npm.pid || p.args.includes(dataDir))
    .map((p) => `${p.pid} ${p.args}`);
}

/** pids of npm, the launcher and every supervised process (all running). */
export async function everyPid(stack: Launched): Promise<number[]> {
  const supervised = await stack.processes();
  expect(supervised.map((p) => p.status).filter((s) => s !== 'running')).toEqual([]);
  return [stack.npm.pid!, stack.launcherPid(), ...supervised.map((p) => p.pid!)];
}

export const STOP_LINES = ['stopping api, mail-in, worker, redis, postgres …', 'api stopped', 'mail-in stopped', 'worker stopped', 'redis stopped', 'postgres stopped', 'stopped'];

/** After a failed test: the ordered stop of every stack still running, so none outlives the run. */
export async function stopAllLaunched(): Promise<void> {
  for (const { npm, exited } of launched.splice(0)) {
    if (npm.exitCode !== null || npm.signalCode !== null) continue;
    process.kill(npm.pid!, 'SIGTERM');
    await exited;
  }
}
