/**
 * `npm start`: the whole helpdesk on one machine. Starts an embedded PostgreSQL (unless
 * DATABASE_URL is set) and a local redis-server (unless REDIS_URL is set), both with data under
 * .data/, then the API and the worker. Ctrl-C stops them in order: apps first, then Redis, then
 * PostgreSQL.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { releaseEmbeddedPostgresSignalHooks, RunningPostgres, RunningRedis, startEmbeddedPostgres, startLocalRedis } from '@helpdesk/devstack';

const env = process.env;
const root = resolve(__dirname, '..', '..', '..', '..');
const dataDir = resolve(env.HELPDESK_DATA_DIR ?? join(root, '.data'));
const dist = join(root, 'dist', 'apps');
const say = (line: string) => process.stdout.write(`[helpdesk] ${line}\n`);

let postgres: RunningPostgres | undefined;
let redis: RunningRedis | undefined;
const apps: Array<{ name: string; child: ChildProcess }> = [];
let stopping = false;

function startApp(name: string, entry: string, extraEnv: Record<string, string>): Promise<ChildProcess> {
  return new Promise((ready, fail) => {
    const child = fork(entry, [], { env: { ...env, ...extraEnv }, stdio: 'inherit' });
    apps.push({ name, child });
    child.on('message', (m: { type?: string }) => m?.type === 'ready' && ready(child));
    child.once('exit', (code, signal) => {
      fail(new Error(`${name} exited before it was ready (${signal ?? code})`));
      if (!stopping) {
        say(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); shutting down`);
        void shutdown(1);
      }
    });
  });
}

function stopApp({ name, child }: { name: string; child: ChildProcess }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      say(`${name} did not stop in 20 s; killing it`);
      child.kill('SIGKILL');
    }, 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping …');
  await Promise.all(apps.map(stopApp));
  if (redis) await redis.stop().catch((e: Error) => say(`redis: ${e.message}`));
  if (postgres) await postgres.stop().catch((e: Error) => say(`postgres: ${e.message}`));
  say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  releaseEmbeddedPostgresSignalHooks();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say(`starting the embedded PostgreSQL (data in ${join(dataDir, 'postgres')}) …`);
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: env.PG_PORT ? Number(env.PG_PORT) : undefined,
    });
    databaseUrl = postgres.url;
  }
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    say(`starting redis-server (append-only file in ${join(dataDir, 'redis')}) …`);
    redis = await startLocalRedis({ dataDir: join(dataDir, 'redis'), port: env.REDIS_PORT ? Number(env.REDIS_PORT) : undefined });
    redisUrl = redis.url;
  }

  const shared = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
  const port = env.PORT ?? '3000';
  // The API migrates and creates the first admin before the worker starts.
  await startApp('api', join(dist, 'api', 'src', 'main.js'), { ...shared, PORT: port });
  await startApp('worker', join(dist, 'worker', 'src', 'main.js'), { ...shared });

  const base = `http://localhost:${port}`;
  // One write, so the whole block arrives together.
  process.stdout.write(
    [
      'the helpdesk is running',
      `  console  ${base}/   (sign in with a staff token)`,
      `  API      ${base}/api/v1`,
      `  docs     ${base}/api/docs   (OpenAPI JSON: ${base}/api/docs-json)`,
      `  health   ${base}/health/live  ${base}/health/ready`,
      '  auth     every /api/v1 call needs "Authorization: Bearer <token>". On the first start the',
      '           global_admin token is printed above once (or is BOOTSTRAP_ADMIN_TOKEN if you set it).',
      `           Try: curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/agents`,
      '  Ctrl-C stops everything.',
    ]
      .map((line) => `[helpdesk] ${line}\n`)
      .join(''),
  );
}

main().catch(async (error: unknown) => {
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
