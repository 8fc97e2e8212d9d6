import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@helpdesk/config';
import { quitRedis, redisOptionsFromUrl, withTimeout } from '@helpdesk/queue';
import type { TokenInvalidation } from './token-cache';

/** The Redis pub/sub channel on which every api process hears of revoked tokens and changed rights. */
export const tokenInvalidationChannel = (queuePrefix: string): string => `${queuePrefix}:auth:token-invalidations`;
/** Where each process says it has applied an invalidation, so that its publisher can answer. */
const acknowledgementChannel = (queuePrefix: string): string => `${queuePrefix}:auth:token-invalidations:applied`;

/** How long a change waits for Redis and the other processes before it answers anyway. */
const PUBLISH_TIMEOUT_MS = 1000;

/** An invalidation this process published and waits to hear applied by the other subscribers. */
interface Awaited {
  applied: number;
  /** Unknown until PUBLISH answers with how many subscribers got it. */
  needed: number;
  done: () => void;
}

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
  private readonly acknowledgements: string;
  private readonly listeners: Array<(scope: TokenInvalidation) => void> = [];
  private readonly awaited = new Map<string, Awaited>();
  private subscriber?: Redis;
  private publisher?: Redis;
  private subscribed = false;
  private failing = false;
  private closed = false;

  constructor(private readonly config: AppConfig) {
    this.channel = tokenInvalidationChannel(config.QUEUE_PREFIX);
    this.acknowledgements = acknowledgementChannel(config.QUEUE_PREFIX);
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
        .subscribe(this.channel, this.acknowledgements)
        .then(() => {
          this.failing = false;
          this.subscribed = true;
          this.emit({ all: true });
        })
        .catch((error: unknown) => this.warnOnce(`token invalidations: could not subscribe: ${error instanceof Error ? error.message : String(error)}`));
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.acknowledgements) return this.acknowledged(message);
      if (channel !== this.channel) return;
      const parsed = parse(message);
      if (parsed?.origin === this.origin) return;
      // A message this process cannot read still means something changed: drop everything.
      this.emit(parsed?.scope ?? { all: true });
      if (typeof parsed?.id === 'string') {
        this.connection()
          .publish(this.acknowledgements, parsed.id)
          .catch((error: unknown) => this.warnOnce(`token invalidations: could not acknowledge: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
    subscriber.connect().catch(() => undefined);
  }

  /**
   * Applies `scope` here at once, publishes it to every process and waits until each subscribed
   * process has applied it (Redis hands a message to the publisher before the subscribers have read
   * theirs, so a request answered on PUBLISH alone can reach another process first). Waits at most a
   * second in all: a process that does not answer by then is either gone or catches up on its own.
   */
  async publish(scope: TokenInvalidation): Promise<void> {
    this.emit(scope);
    if (this.closed) return;
    const id = randomUUID();
    // Acknowledgements reach this process only while it is subscribed itself.
    const waiting = this.subscribed ? this.await(id) : undefined;
    try {
      await withTimeout(
        (async () => {
          const receivers = await this.connection().publish(this.channel, JSON.stringify({ ...scope, id, origin: this.origin }));
          // This process's own subscriber is among the receivers and does not answer itself.
          await waiting?.(receivers - 1);
        })(),
        PUBLISH_TIMEOUT_MS,
        'a token invalidation (Redis PUBLISH and the other processes applying it)',
      );
    } catch (error) {
      // Not published: the others are not subscribed then either (same Redis): they cache nothing until they are, and drop everything when they are.
      this.warnOnce(`token invalidations: not confirmed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.awaited.delete(id);
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

  /** Starts counting acknowledgements of `id` (they may arrive before PUBLISH answers); resolves once `needed` have. */
  private await(id: string): (needed: number) => Promise<void> {
    let done!: () => void;
    const applied = new Promise<void>((resolve) => (done = resolve));
    const entry: Awaited = { applied: 0, needed: Number.POSITIVE_INFINITY, done };
    this.awaited.set(id, entry);
    return (needed) => {
      entry.needed = needed;
      if (entry.applied >= needed) done();
      return applied;
    };
  }

  private acknowledged(id: string): void {
    const entry = this.awaited.get(id);
    if (!entry) return;
    entry.applied += 1;
    if (entry.applied >= entry.needed) entry.done();
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

function parse(message: string): { id: unknown; origin: unknown; scope: TokenInvalidation } | null {
  try {
    const v = JSON.parse(message) as TokenInvalidation & { id?: unknown; origin?: unknown };
    if (typeof v !== 'object' || v === null) return null;
    if (!ids(v.tokenIds) || !ids(v.agentIds) || !ids(v.customerIds) || !ids(v.tokenHashes)) return null;
    return { id: v.id, origin: v.origin, scope: { tokenIds: v.tokenIds, agentIds: v.agentIds, customerIds: v.customerIds, tokenHashes: v.tokenHashes, all: v.all === true } };
  } catch {
    return null;
  }
}
