import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@helpdesk/config';
import { quitRedis, redisOptionsFromUrl, withTimeout } from '@helpdesk/queue';
import type { TokenInvalidation } from './token-cache';

/** The Redis pub/sub channel on which every api process hears of revoked tokens and changed rights. */
export const tokenInvalidationChannel = (queuePrefix: string): string => `${queuePrefix}:auth:token-invalidations`;

/** How long a change waits for Redis to take its invalidation before it answers anyway. */
const PUBLISH_TIMEOUT_MS = 1000;

/**
 * Tells every api process that tokens were revoked or rights changed, so each drops what it
 * cached at once. A process that is not subscribed (not yet, or Redis is away) must not cache:
 * `live` says whether it may. When the subscription starts or comes back after a gap, listeners
 * get `{all: true}`, as messages may have been missed meanwhile.
 */
@Injectable()
export class TokenInvalidationBus implements OnModuleDestroy {
  private readonly logger = new Logger('TokenInvalidations');
  private readonly channel: string;
  /** Marks this process's own messages, applied already when published. */
  private readonly origin = randomUUID();
  private readonly listeners: Array<(scope: TokenInvalidation) => void> = [];
  private subscriber?: Redis;
  private publisher?: Redis;
  private subscribed = false;
  private failing = false;
  private closed = false;

  constructor(private readonly config: AppConfig) {
    this.channel = tokenInvalidationChannel(config.QUEUE_PREFIX);
  }

  /** True while this process hears every invalidation. */
  get live(): boolean {
    return this.subscribed;
  }

  onInvalidation(listener: (scope: TokenInvalidation) => void): void {
    this.listeners.push(listener);
  }

  /** Subscribes this process (once; the worker, which resolves no token, never does). */
  listen(): void {
    if (this.subscriber || this.closed) return;
    const subscriber = new Redis({
      ...redisOptionsFromUrl(this.config.REDIS_URL),
      lazyConnect: true,
      // Subscribed again by hand on every 'ready', so that `live` turns true only once it is.
      autoResubscribe: false,
      connectionName: 'helpdesk-token-invalidations',
    });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.warnOnce(`token invalidations: Redis connection error (tokens are not cached meanwhile): ${error.message}`));
    subscriber.on('close', () => {
      if (!this.subscribed) return;
      this.subscribed = false;
      this.emit({ all: true });
    });
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel)
        .then(() => {
          this.failing = false;
          this.subscribed = true;
          this.emit({ all: true });
        })
        .catch((error: unknown) => this.warnOnce(`token invalidations: could not subscribe: ${error instanceof Error ? error.message : String(error)}`));
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const parsed = parse(message);
      if (parsed?.origin === this.origin) return;
      // A message this process cannot read still means something changed: drop everything.
      this.emit(parsed?.scope ?? { all: true });
    });
    subscriber.connect().catch(() => undefined);
  }

  /** Applies `scope` here at once, then publishes it to every process; waits at most a second for Redis. */
  async publish(scope: TokenInvalidation): Promise<void> {
    this.emit(scope);
    if (this.closed) return;
    try {
      await withTimeout(this.connection().publish(this.channel, JSON.stringify({ ...scope, origin: this.origin })), PUBLISH_TIMEOUT_MS, 'Redis PUBLISH of a token invalidation');
    } catch (error) {
      // The others are not subscribed then either (same Redis): they cache nothing until they are, and drop everything when they are.
      this.warnOnce(`token invalidations: not published: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.subscribed = false;
    for (const client of [this.subscriber, this.publisher]) {
      if (!client || client.status === 'wait' || client.status === 'end') continue;
      await quitRedis(client);
      client.disconnect();
    }
  }

  private connection(): Redis {
    if (!this.publisher) {
      this.publisher = new Redis({
        ...redisOptionsFromUrl(this.config.REDIS_URL),
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        connectionName: 'helpdesk-token-invalidations-publisher',
      });
      this.publisher.on('error', (error: Error) => this.warnOnce(`token invalidations: Redis connection error: ${error.message}`));
    }
    return this.publisher;
  }

  private emit(scope: TokenInvalidation): void {
    for (const listener of this.listeners) {
      try {
        listener(scope);
      } catch (error) {
        this.logger.error(`token invalidation listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private warnOnce(message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(message);
  }
}

const ids = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

function parse(message: string): { origin: unknown; scope: TokenInvalidation } | null {
  try {
    const v = JSON.parse(message) as TokenInvalidation & { origin?: unknown };
    if (typeof v !== 'object' || v === null) return null;
    if (!ids(v.tokenIds) || !ids(v.agentIds) || !ids(v.customerIds) || !ids(v.tokenHashes)) return null;
    return { origin: v.origin, scope: { tokenIds: v.tokenIds, agentIds: v.agentIds, customerIds: v.customerIds, tokenHashes: v.tokenHashes, all: v.all === true } };
  } catch {
    return null;
  }
}
