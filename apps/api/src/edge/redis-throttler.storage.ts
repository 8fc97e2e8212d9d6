import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '@helpdesk/config';
import { DependencyUnavailableError } from '@helpdesk/http';
import { quitRedis, redisOptionsFromUrl } from '@helpdesk/queue';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One request counted, atomically: a fixed window of hits per key (INCR, PEXPIRE on the first), and
 * a block key set for `blockDuration` once the hits pass the limit; while blocked nothing is counted.
 * Returns hits, ms left in the window, blocked (0/1), ms left of the block.
 */
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, left, 1, tonumber(ARGV[3])}
end
return {hits, left, 0, 0}`;

/** Past this a count is given up (and the request let through): a slow Redis must not slow every request. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * @nestjs/throttler's storage in Redis, shared by every API process, on a connection of its own.
 * The maintained Redis storages found for @nestjs/throttler either declare Nest ≤ 11 as their peer
 * or bring another Redis client; this is one Lua script on ioredis, which the API already uses.
 * When Redis cannot answer, `increment` rejects at once (no offline queue) and the caller lets the
 * request through: a Redis outage must not stop intake, which does not need Redis.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

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
    const [hits, left, blocked, blockLeft] = await (this.redis as unknown as { throttleIncrement(...args: Array<string | number>): Promise<number[]> }).throttleIncrement(
      this.prefix + key,
      `${this.prefix}${key}:blocked`,
      ttl,
      limit,
      blockDuration,
    );
    // @nestjs/throttler counts what is left in seconds (it becomes Retry-After).
    return { totalHits: hits, timeToExpire: Math.ceil(left / 1000), isBlocked: blocked === 1, timeToBlockExpire: Math.ceil(blockLeft / 1000) };
  }

  async onModuleDestroy(): Promise<void> {
    await quitRedis(this.redis);
    this.redis.disconnect();
  }
}
