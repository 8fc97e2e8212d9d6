import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { validateConfig } from '@helpdesk/config';
import { DependencyUnavailableError } from '@helpdesk/http';
import { testStack } from '@helpdesk/testing';
import { COUNT_FLUSH_MS, DEFERRED_COUNT_MIN_LIMIT, RedisThrottlerStorage } from '../../apps/api/src/edge/redis-throttler.storage';

const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;

/**
 * The rate limits' counts in Redis (RedisThrottlerStorage), against a real Redis: a key well within
 * its limit is counted in the process and sent within COUNT_FLUSH_MS; the half of a limit where a
 * 429 can happen is counted in Redis request by request, as every request was before; several
 * processes share one count.
 */
describe('rate-limit counts', () => {
  const prefix = `rl_${randomBytes(4).toString('hex')}`;
  const redis = new Redis(testStack().redisUrl);
  const storages: RedisThrottlerStorage[] = [];

  async function storage(redisUrl = testStack().redisUrl): Promise<RedisThrottlerStorage> {
    const made = new RedisThrottlerStorage(validateConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }));
    storages.push(made);
    const connection = made['redis'];
    if (redisUrl === testStack().redisUrl && connection.status !== 'ready') await new Promise((ready) => connection.once('ready', ready));
    return made;
  }
  const inRedis = async (key: string) => Number((await redis.get(`${prefix}:throttle:${key}`)) ?? 0);

  afterAll(async () => {
    for (const s of storages) await s.onModuleDestroy();
    redis.disconnect();
  });

  it('counts a key far below its limit in the process, then in Redis within the flush interval', async () => {
    const counts = await storage();
    const key = `staff:token:${randomBytes(4).toString('hex')}`;
    const limit = 1000;
    const first = await counts.increment(key, WINDOW_MS, limit, BLOCK_MS);
    expect(first).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(await inRedis(key)).toBe(1);

    // Hits 2..500 are at most half the limit: answered at once (no Redis round trip: all of them in
    // this one turn of the event loop), each with its own total; Redis has not seen them yet.
    const answers = await Promise.all(Array.from({ length: limit / 2 - 1 }, () => counts.increment(key, WINDOW_MS, limit, BLOCK_MS)));
    const beforeFlush = redis.get(`${prefix}:throttle:${key}`);
    expect(answers.map((a) => a.totalHits)).toEqual(Array.from({ length: limit / 2 - 1 }, (_, i) => i + 2));
    expect(answers.every((a) => !a.isBlocked && a.timeToExpire > 0 && a.timeToExpire <= 60)).toBe(true);
    expect(Number(await beforeFlush)).toBe(1);

    // Within the flush interval Redis has them all, in one INCRBY.
    const flushed = Date.now();
    while ((await inRedis(key)) < limit / 2) await new Promise((r) => setTimeout(r, 5));
    expect(Date.now() - flushed).toBeLessThan(COUNT_FLUSH_MS + 1000);
    expect(await inRedis(key)).toBe(limit / 2);

    // Past half the limit every request waits for Redis's own count.
    for (let i = limit / 2 + 1; i <= limit / 2 + 5; i++) {
      expect((await counts.increment(key, WINDOW_MS, limit, BLOCK_MS)).totalHits).toBe(i);
      expect(await inRedis(key)).toBe(i);
    }
  });

  it('answers the request past the limit blocked, exactly as a count of each request in Redis did', async () => {
    const counts = await storage();
    const key = `staff:token:${randomBytes(4).toString('hex')}`;
    const limit = DEFERRED_COUNT_MIN_LIMIT;
    const answers = [];
    for (let i = 0; i < limit + 3; i++) answers.push(await counts.increment(key, WINDOW_MS, limit, BLOCK_MS));
    expect(answers.slice(0, limit).every((a) => !a.isBlocked)).toBe(true);
    expect(answers.slice(0, limit).map((a) => a.totalHits)).toEqual(Array.from({ length: limit }, (_, i) => i + 1));
    expect(answers.slice(limit).map((a) => a.isBlocked)).toEqual([true, true, true]);
    expect(answers[limit].timeToBlockExpire).toBe(BLOCK_MS / 1000);
    // The 101st was counted, then nothing while blocked; the block is in Redis for every process.
    expect(await inRedis(key)).toBe(limit + 1);
    expect(await redis.pttl(`${prefix}:throttle:${key}:blocked`)).toBeGreaterThan(BLOCK_MS - 5_000);
  });

  it('counts small limits (sign-in links) in Redis for each request', async () => {
    const counts = await storage();
    const key = `portal:${randomBytes(4).toString('hex')}`;
    const limit = 5;
    const answers = [];
    for (let i = 1; i <= limit + 1; i++) {
      answers.push(await counts.increment(key, WINDOW_MS, limit, BLOCK_MS));
      expect(await inRedis(key)).toBe(i);
    }
    expect(answers.map((a) => a.isBlocked)).toEqual([false, false, false, false, false, true]);
  });

  it('shares one count between processes: what one counted in the process reaches the other through Redis', async () => {
    const [one, two] = [await storage(), await storage()];
    const key = `staff:token:${randomBytes(4).toString('hex')}`;
    const limit = 200;
    for (let i = 0; i < 60; i++) await one.increment(key, WINDOW_MS, limit, BLOCK_MS);
    await one.flush();
    expect(await inRedis(key)).toBe(60);
    // The second process's first request of the window waits for Redis, so it knows the other's 60.
    expect((await two.increment(key, WINDOW_MS, limit, BLOCK_MS)).totalHits).toBe(61);
    // Both go on up to the limit between them: 139 more are allowed, the next is refused by either.
    const answers = [];
    for (let i = 0; i < 139; i++) answers.push(await (i % 2 ? one : two).increment(key, WINDOW_MS, limit, BLOCK_MS));
    await Promise.all([one.flush(), two.flush()]);
    expect(answers.every((a) => !a.isBlocked)).toBe(true);
    expect(await inRedis(key)).toBe(200);
    expect((await one.increment(key, WINDOW_MS, limit, BLOCK_MS)).isBlocked).toBe(true);
    expect((await two.increment(key, WINDOW_MS, limit, BLOCK_MS)).isBlocked).toBe(true);
  });

  it('sends the counts not yet sent when the api stops', async () => {
    const counts = await storage();
    const key = `staff:token:${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 20; i++) await counts.increment(key, WINDOW_MS, 1000, BLOCK_MS);
    await counts.onModuleDestroy();
    expect(await inRedis(key)).toBe(20);
  });

  it('refuses to count, at once, while Redis cannot be reached (the edge gate then lets the request through)', async () => {
    const unreachable = await storage('redis://127.0.0.1:1');
    await expect(unreachable.increment('staff:token:x', WINDOW_MS, 1000, BLOCK_MS)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
