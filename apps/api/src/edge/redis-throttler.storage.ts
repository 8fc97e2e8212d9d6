import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '@helpdesk/config';
import { DependencyUnavailableError } from '@helpdesk/http';
import { quitRedis, redisOptionsFromUrl } from '@helpdesk/queue';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * ARGV[4] requests counted, atomically: a fixed window of hits per key (INCRBY, PEXPIRE when the
 * window starts), and a block key set for `blockDuration` once the hits pass the limit; while
 * blocked nothing is counted. Returns hits, ms left in the window, blocked (0/1), ms left of the block.
 */
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked}
end
local hits = redis.call('INCRBY', KEYS[1], ARGV[4])
if hits == tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, left, 1, tonumber(ARGV[3])}
end
return {hits, left, 0, 0}`;

/** Past this a count is given up (and the request let through): a slow Redis must not slow every request. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * A key whose window this process knows, with its hits at most half its limit, is counted here and
 * sent to Redis within this many ms, summed per key (one INCRBY for all of them), without holding
 * the request. Nearer the limit, or for a window not yet seen, every request waits for Redis's count.
 */
export const COUNT_FLUSH_MS = 50;
/** Limits below this are always counted in Redis first (the portal's sign-in links: a handful an hour). */
export const DEFERRED_COUNT_MIN_LIMIT = 100;
/** Keys remembered in this process; past this they are forgotten (their next request waits for Redis). */
const MAX_LOCAL_COUNTS = 100_000;

/**
 * What this process knows of a key's window: Redis's total at its last answer, the hits sent and not
 * yet answered, and the hits not yet sent. Their sum is the window's hits as far as this process
 * can tell (exactly, with one API process: Redis answers one connection's commands in order).
 */
interface LocalCount {
  known: number;
  sending: number;
  unsent: number;
  windowEndsAt: number;
  ttl: number;
  limit: number;
  blockDuration: number;
}

/**
 * @nestjs/throttler's storage in Redis, shared by every API process, on a connection of its own.
 * A request whose key is well within its limit (at most half of it used, as far as this process
 * knows) does not wait for Redis: it is counted here and sent with the key's other hits within
 * COUNT_FLUSH_MS. So a token used far below its budget costs one Redis command per key per
 * COUNT_FLUSH_MS instead of a round trip per request, while the half of the budget where a 429 can
 * happen is counted exactly as before. With several API processes, a key can pass its limit only if
 * the others add more than half of it within COUNT_FLUSH_MS.
 * The maintained Redis storages found for @nestjs/throttler either declare Nest ≤ 11 as their peer
 * or bring another Redis client; this is one Lua script on ioredis, which the API already uses.
 * When Redis cannot answer, `increment` rejects at once (no offline queue) and the caller lets the
 * request through: a Redis outage must not stop intake, which does not need Redis.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly counts = new Map<string, LocalCount>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(config: AppConfig) {
    this.prefix = `${config.QUEUE_PREFIX}:throttle:`;
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      connectionName: 'helpdesk-rate-limits',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Counts of concurrent requests go out in one write.
      enableAutoPipelining: true,
    });
    // Connection errors surface as rejected counts, reported by the caller.
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('throttleIncrement', { numberOfKeys: 2, lua: INCREMENT });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    if (this.redis.status !== 'ready') throw new DependencyUnavailableError('redis', `Redis is ${this.redis.status}`);
    const now = Date.now();
    let local = this.counts.get(key);
    if (local && now >= local.windowEndsAt) {
      this.counts.delete(key);
      local = undefined;
    }
    if (local && limit >= DEFERRED_COUNT_MIN_LIMIT && now + COUNT_FLUSH_MS < local.windowEndsAt && local.limit === limit && local.ttl === ttl && (local.known + local.sending + local.unsent + 1) * 2 <= limit) {
      local.unsent++;
      this.flushSoon();
      return { totalHits: local.known + local.sending + local.unsent, timeToExpire: Math.ceil((local.windowEndsAt - now) / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
    // This request waits for Redis, and takes the key's hits not yet sent with it.
    const hits = 1 + (local?.unsent ?? 0);
    if (local) {
      local.unsent = 0;
      local.sending += hits;
    }
    const [total, left, blocked, blockLeft] = await this.send(key, ttl, limit, blockDuration, hits);
    if (local && this.counts.get(key) === local) local.sending -= hits;
    this.learn(key, { ttl, limit, blockDuration }, total, left, blocked === 1);
    // @nestjs/throttler counts what is left in seconds (it becomes Retry-After).
    return { totalHits: total, timeToExpire: Math.ceil(left / 1000), isBlocked: blocked === 1, timeToBlockExpire: Math.ceil(blockLeft / 1000) };
  }

  /** Sends every key's hits counted here and not yet sent; their answers update what this process knows. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const sends: Array<Promise<void>> = [];
    for (const [key, local] of this.counts) {
      if (local.unsent === 0) continue;
      const hits = local.unsent;
      local.unsent = 0;
      local.sending += hits;
      sends.push(
        this.send(key, local.ttl, local.limit, local.blockDuration, hits).then(
          ([total, left, blocked]) => {
            if (this.counts.get(key) !== local) return;
            local.sending -= hits;
            this.learn(key, local, total, left, blocked === 1);
          },
          // Redis did not count them (as a request is let through when Redis cannot count it): the
          // key's next request waits for Redis, and the edge gate reports the outage then.
          () => void (this.counts.get(key) === local && this.counts.delete(key)),
        ),
      );
    }
    await Promise.all(sends);
  }

  private send(key: string, ttl: number, limit: number, blockDuration: number, hits: number): Promise<number[]> {
    return (this.redis as unknown as { throttleIncrement(...args: Array<string | number>): Promise<number[]> }).throttleIncrement(
      this.prefix + key,
      `${this.prefix}${key}:blocked`,
      ttl,
      limit,
      blockDuration,
      hits,
    );
  }

  /** Redis's answer for a key: its total and window, kept unless the key is blocked (then each request asks Redis). */
  private learn(key: string, options: Pick<LocalCount, 'ttl' | 'limit' | 'blockDuration'>, total: number, left: number, blocked: boolean): void {
    const local = this.counts.get(key);
    if (blocked || left <= 0) {
      if (local && local.sending === 0 && local.unsent === 0) this.counts.delete(key);
      else if (local) local.windowEndsAt = 0;
      return;
    }
    if (local) {
      // One connection: Redis answers in the order it was asked, so a later answer holds the larger total.
      local.known = Math.max(local.known, total);
      return;
    }
    if (this.counts.size >= MAX_LOCAL_COUNTS) this.forgetSettled();
    this.counts.set(key, { known: total, sending: 0, unsent: 0, windowEndsAt: Date.now() + left, ...options });
  }

  private forgetSettled(): void {
    for (const [key, local] of this.counts) if (local.unsent === 0 && local.sending === 0) this.counts.delete(key);
  }

  private flushSoon(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => void this.flush(), COUNT_FLUSH_MS);
    this.flushTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status === 'ready') await this.flush();
    await quitRedis(this.redis);
    this.redis.disconnect();
  }
}
