/**
 * `npm start`: the whole helpdesk on one machine. Starts an embedded PostgreSQL (unless
 * DATABASE_URL is set) and a local redis-server (unless REDIS_URL is set), both with data under
 * .data/, then the API, the worker and mail-in (the inbound SMTP listener); restarts any of them
 * that dies (see Supervised). Ctrl-C, SIGTERM or SIGHUP stops them in order: the API, mail-in, the
 * worker, Redis, PostgreSQL.
 */
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { AppConfig, validateConfig } from '@helpdesk/config';
import {
  AppName,
  freePort,
  LauncherStateMessage,
  MailCatcher,
  releaseEmbeddedPostgresSignalHooks,
  startMailCatcher,
  startEmbeddedPostgres,
  startLocalRedis,
} from '@helpdesk/devstack';
import { AppRun, forkApp } from './app-process';
import { banner, stateLine } from './banner';
import { DataDirClaim } from './data-dir-claim';
import { HEALTHY_AFTER_MS } from './restart-policy';
import { serverRun } from './run';
import { SupervisionEvents, Supervised } from './supervised';

const env = process.env;
const root = resolve(__dirname, '..', '..', '..', '..');
const dataDir = resolve(env.HELPDESK_DATA_DIR ?? join(root, '.data'));
const dist = join(root, 'dist', 'apps');
// Output to a terminal that went away must not crash the launcher mid-stop.
process.stdout.on('error', () => undefined);
const say = (line: string) => process.stdout.write(`[helpdesk] ${line}\n`);

/** In start order: what the apps use, then the apps. */
const units: Supervised[] = [];
/**
 * The API and mail-in first (they stop taking requests and mail while the database and Redis still
 * answer the ones in flight), then the worker (it relays what they wrote last), then what all use.
 */
const STOP_ORDER = ['api', 'mail-in', 'worker', 'redis', 'postgres'];
let worker: AppRun | undefined;
let stopping = false;
let mailCatcher: MailCatcher | undefined;

const processes = () => units.map((unit) => unit.state);

function pushStateToWorker(): void {
  if (!worker?.child.connected) return;
  const message: LauncherStateMessage = { type: 'launcher-state', processes: processes() };
  worker.child.send(message, () => undefined);
}

const events: SupervisionEvents = {
  changed: pushStateToWorker,
  crashed: (name, pid, how, restartInMs) =>
    say(`${name}${pid ? ` (pid ${pid})` : ''} ${pid ? 'exited unexpectedly' : 'failed to start'} (${how}); restarting it in ${restartInMs / 1000} s`),
  restarted: (name, pid, restarts) => {
    say(`${name} is running again (pid ${pid}, restart ${restarts})`);
    say(stateLine(processes()));
  },
  gaveUp: (name, how, crashes) => {
    say(
      `GAVE UP on ${name}: it stopped ${crashes} times in a row, each within ${HEALTHY_AFTER_MS / 1000} s of its start ` +
        `(last: ${how}). It stays down; everything else keeps running. Find the cause in its log above, ` +
        'then stop (Ctrl-C) and run npm start again.',
    );
    say(stateLine(processes()));
  },
};

const claim = new DataDirClaim(dataDir);
const leftover = (server: string, dir: string) => (pid: number) =>
  say(`a ${server} (pid ${pid}) left running on ${dir} by an earlier launcher that was killed: stopping it first`);

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const order = [...units].sort((a, b) => STOP_ORDER.indexOf(a.name) - STOP_ORDER.indexOf(b.name));
  for (const unit of order) unit.holdRestarts();
  // A terminal has echoed ^C where the next line would start.
  if (process.stdout.isTTY) process.stdout.write('\n');
  if (order.length > 0) say(`stopping ${order.map((u) => u.name).join(', ')} …`);
  for (const unit of order) say(`${unit.name} ${(await unit.stop()) ? 'stopped' : 'was not running'}`);
  await mailCatcher?.stop();
  claim.release();
  say('stopped');
  process.exit(code);
}

async function supervise(unit: Supervised): Promise<void> {
  // Stopping already (a Ctrl-C while starting): the stop has its list, start nothing more.
  if (stopping) throw new Error('stopping');
  units.push(unit);
  await unit.start();
}

/** Starts and supervises a local server (PostgreSQL, Redis); its URL. */
async function startServer(
  name: string,
  what: string,
  portFromEnv: string | undefined,
  start: (port: number) => Promise<{ url: string; process: ChildProcess; stop: () => Promise<void> }>,
): Promise<string> {
  // Restarts come back on the same port: the apps keep their URL.
  const port = portFromEnv ? Number(portFromEnv) : await freePort();
  say(`starting ${what} …`);
  let url = '';
  await supervise(
    new Supervised(
      name,
      async () => {
        const server = await start(port);
        url = server.url;
        return serverRun(server);
      },
      events,
    ),
  );
  return url;
}

async function main(): Promise<void> {
  releaseEmbeddedPostgresSignalHooks();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  if (!env.DATABASE_URL || !env.REDIS_URL) claim.take();

  const postgresDir = join(dataDir, 'postgres');
  const redisDir = join(dataDir, 'redis');
  const databaseUrl =
    env.DATABASE_URL ??
    (await startServer('postgres', `the embedded PostgreSQL (data in ${postgresDir})`, env.PG_PORT, (port) =>
      startEmbeddedPostgres({ dataDir: postgresDir, port, ownSession: true, onLeftover: leftover('PostgreSQL', postgresDir) }),
    ));
  const redisUrl =
    env.REDIS_URL ??
    (await startServer('redis', `redis-server (append-only file in ${redisDir})`, env.REDIS_PORT, (port) =>
      startLocalRedis({ dataDir: redisDir, port, onLeftover: leftover('redis-server', redisDir) }),
    ));

  // Without SMTP_URL, notifications go to a local mail catcher (.data/mail): no mail leaves the machine.
  if (!env.SMTP_URL) mailCatcher = await startMailCatcher({ dir: join(dataDir, 'mail'), port: await freePort() });
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    INBOUND_SMTP_PORT: env.INBOUND_SMTP_PORT ?? String(await freePort()),
    MAIL_IN_PORT: env.MAIL_IN_PORT ?? String(await freePort()),
    ...(mailCatcher ? { SMTP_URL: mailCatcher.url } : {}),
    // Attachments (the filesystem store, and uploads spooled while they stream in) beside the other data.
    ATTACHMENT_DIR: env.ATTACHMENT_DIR ?? join(dataDir, 'attachments'),
  };
  const config: AppConfig = validateConfig({ ...env, ...shared });
  // The worker may take SHUTDOWN_TIMEOUT_MS to finish its jobs; only past that is it forced.
  const stopDeadlineMs = config.SHUTDOWN_TIMEOUT_MS + 10_000;
  const app = (name: AppName) =>
    new Supervised(
      name,
      async () => {
        const run = forkApp(name, join(dist, name, 'src', 'main.js'), { ...env, ...shared }, stopDeadlineMs, () =>
          say(`${name} did not stop within ${stopDeadlineMs / 1000} s; killing it`),
        );
        if (name === 'worker') worker = run;
        return run;
      },
      events,
    );
  // The API migrates and creates the first admin before the worker starts.
  await supervise(app('api'));
  await supervise(app('worker'));
  await supervise(app('mail-in'));

  if (!stopping) process.stdout.write(banner(config, processes(), mailCatcher?.dir));
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
