/**
 * Stopping `npm start`: a signal to the npm process reaches the launcher, which stops the API,
 * the worker, Redis and PostgreSQL in that order and leaves no process behind; a launcher killed
 * outright leaves nothing running for good either.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@helpdesk/testing';
import { startLocalRedis } from '../../libs/devstack/src/local-redis';
import { alive, everyPid, launch, leftFrom, START_TIMEOUT_MS, STOP_LINES, stopAllLaunched } from './launched';

/** Everything the apps print while starting comes before the banner, and nothing after it until the stop. */
function assertBannerLast(out: string): void {
  const banner = out.indexOf('[helpdesk] the helpdesk is running');
  const last = '[helpdesk]   Ctrl-C stops everything.\n';
  expect(out.indexOf('Nest application successfully started')).toBeGreaterThan(0);
  expect(out.indexOf('Nest application successfully started')).toBeLessThan(banner);
  expect(out.indexOf('worker health on')).toBeGreaterThan(0);
  expect(out.indexOf('worker health on')).toBeLessThan(banner);
  expect(out.slice(out.indexOf(last) + last.length, out.indexOf('[helpdesk] stopping'))).toBe('');
  expect(out.match(/the helpdesk is running/g)).toHaveLength(1);
}

describe('stopping npm start', () => {
  let dir: string;
  /** Both tests use the same data: only the first start initialises the cluster and migrates. */
  let data: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-stop-'));
    data = join(dir, 'data');
  });
  afterAll(async () => {
    await stopAllLaunched();
    await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it('kill -INT on the npm process stops the API, mail-in, the worker and PostgreSQL in that order and leaves no process, but not a Redis it did not start; the banner was printed last, once all was ready', async () => {
    const redisDir = join(dir, 'external-redis');
    const external = await startLocalRedis({ dataDir: redisDir, durable: false });
    try {
      const stack = await launch(data, { LOG_LEVEL: 'info', REDIS_URL: external.url });
      expect((await stack.processes()).map((p) => p.name)).toEqual(['postgres', 'api', 'worker', 'mail-in']);
      const pids = await everyPid(stack);

      process.kill(stack.npm.pid!, 'SIGINT');
      expect(await stack.exited).toEqual({ code: 0, signal: null });
      expect(stack.launcherLines('stopping')).toEqual(['stopping api, mail-in, worker, postgres …', 'api stopped', 'mail-in stopped', 'worker stopped', 'postgres stopped', 'stopped']);
      expect(alive(pids)).toEqual([]);
      expect(leftFrom(stack, pids, data)).toEqual([]);
      expect(alive([external.process.pid!])).toEqual([external.process.pid]);
      expect(stack.output()).not.toContain(redisDir);

      assertBannerLast(stack.output());
    } finally {
      await stopAllLaunched();
      await external.stop();
    }
  }, START_TIMEOUT_MS + 60_000);

  it('a SIGKILLed launcher: the API, the worker and mail-in stop by themselves, the next start stops the PostgreSQL and Redis it left, and SIGTERM on npm stops everything in order', async () => {
    const first = await launch(data);
    const [postgres, redis, api, worker, mailIn] = await Promise.all(['postgres', 'redis', 'api', 'worker', 'mail-in'].map((n) => first.pidOf(n)));
    process.kill(first.launcherPid(), 'SIGKILL');
    await first.exited;
    await eventually(async () => alive([api, worker, mailIn]), (left) => left.length === 0, 30_000, 'the API, the worker and mail-in stopping without their launcher');
    // Nobody stops these: they hold the data folder until the next start.
    expect(alive([postgres, redis])).toEqual([postgres, redis]);

    const second = await launch(data);
    const lines = second.launcherLines();
    expect(lines).toContain(`a PostgreSQL (pid ${postgres}) left running on ${join(data, 'postgres')} by an earlier launcher that was killed: stopping it first`);
    expect(lines).toContain(`a redis-server (pid ${redis}) left running on ${join(data, 'redis')} by an earlier launcher that was killed: stopping it first`);
    expect(alive([postgres, redis])).toEqual([]);
    const pids = await everyPid(second);
    expect((await second.api.get('/health/ready')).status).toBe(200);

    process.kill(second.npm.pid!, 'SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.launcherLines('stopping')).toEqual(STOP_LINES);
    expect(alive(pids)).toEqual([]);
    expect(leftFrom(second, pids, data)).toEqual([]);
  }, 2 * START_TIMEOUT_MS + 60_000);
});
