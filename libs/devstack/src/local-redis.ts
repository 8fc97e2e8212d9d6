import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { freePort } from './free-port';
import { leftoverServer, stopProcess } from './leftover-process';

export interface LocalRedisOptions {
  dataDir: string;
  port?: number;
  /** Append-only file on (the helpdesk's own data); off for throw-away test servers. */
  durable?: boolean;
  onLog?: (line: string) => void;
  /** A server an earlier run left running on this data directory was found; it is stopped first. */
  onLeftover?: (pid: number) => void;
}

export interface RunningRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop: () => Promise<void>;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Finds redis-server; installs Debian's package when running as root with apt-get; else explains. */
export function ensureRedisServer(log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): string {
  if (onPath('redis-server')) return 'redis-server';
  if (userInfo().uid === 0 && onPath('apt-get')) {
    log('redis-server is not installed: installing Debian\'s redis-server package with apt-get …');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (onPath('redis-server')) return 'redis-server';
  }
  throw new Error(
    'redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, ' +
      'macOS: `brew install redis`), or point the helpdesk at a running Redis 6.2+ with ' +
      'REDIS_URL=redis://host:6379.',
  );
}

/** Starts a local redis-server on 127.0.0.1 with its data under dataDir. */
export async function startLocalRedis(options: LocalRedisOptions): Promise<RunningRedis> {
  const binary = ensureRedisServer(options.onLog);
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const durable = options.durable !== false;
  // redis-server deletes its pid file when it shuts down cleanly: one still there after a
  // SIGKILLed launcher names a server nobody will stop.
  const pidFile = resolve(dataDir, 'redis-server.pid');
  const leftover = await leftoverServer(pidFile, (cmd) => cmd.includes('redis-server'));
  if (leftover !== undefined) {
    options.onLeftover?.(leftover);
    await stopProcess(leftover, 'SIGTERM', 10_000);
  }
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dataDir,
    '--daemonize', 'no',
    '--pidfile', pidFile,
    '--protected-mode', 'yes',
    '--appendonly', durable ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    '--save', durable ? '3600 1 300 100 60 10000' : '',
    '--maxmemory-policy', 'noeviction',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = options.onLog ?? (() => undefined);

  await new Promise<void>((ready, fail) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        ready();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`redis-server exited with code ${code}: ${output.slice(-2000)}`)));
  });
  child.stdout?.on('data', (c: Buffer) => c.toString().split('\n').filter(Boolean).forEach(log));

  let exited = false;
  const exitPromise = new Promise<void>((done) => child.once('exit', () => { exited = true; done(); }));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM'); // redis-server flushes its append-only file and exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
