import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@helpdesk/config';
import { RedisBroadcast } from '@helpdesk/queue';
import type { TokenInvalidation } from './token-cache';

/** The Redis pub/sub channel on which every api process hears of revoked tokens and changed rights. */
export const tokenInvalidationChannel = (queuePrefix: string): string => `${queuePrefix}:auth:token-invalidations`;

/**
 * Tells every api process that tokens were revoked or rights changed, so each drops what it
 * cached at once, and a change answers only once every subscribed process has applied it
 * (RedisBroadcast: Redis hands a message to the publisher before the subscribers have read theirs).
 * A process that is not subscribed (not yet, or Redis is away) must not cache: `live` says whether
 * it may. When the subscription starts or comes back after a gap, and for a message this version
 * cannot read, listeners get `{all: true}`: anything may have changed meanwhile.
 */
@Injectable()
export class TokenInvalidationBus implements OnModuleDestroy {
  private readonly broadcast: RedisBroadcast<TokenInvalidation & Record<string, unknown>>;

  constructor(config: AppConfig) {
    this.broadcast = new RedisBroadcast({
      redisUrl: config.REDIS_URL,
      channel: tokenInvalidationChannel(config.QUEUE_PREFIX),
      name: 'helpdesk-token-invalidations',
      parse,
    });
  }

  /** True while this process hears every invalidation. */
  get live(): boolean {
    return this.broadcast.live;
  }

  onInvalidation(listener: (scope: TokenInvalidation) => void): void {
    this.broadcast.onMessage((scope) => listener(scope ?? { all: true }));
  }

  /** Subscribes this process (once; the worker, which resolves no token, never does). */
  listen(): void {
    this.broadcast.listen();
  }

  /** Applies `scope` here at once, then in every subscribed process, waiting a second at most (RedisBroadcast). */
  publish(scope: TokenInvalidation): Promise<void> {
    return this.broadcast.publish({ ...scope });
  }

  onModuleDestroy(): Promise<void> {
    return this.broadcast.close();
  }
}

const ids = (v: unknown): v is string[] | undefined => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

/** A scope as published (its fields beside the envelope's, as before RedisBroadcast: old and new processes read each other). */
function parse(v: Record<string, unknown>): (TokenInvalidation & Record<string, unknown>) | null {
  const { tokenIds, agentIds, customerIds, tokenHashes, all } = v;
  if (!ids(tokenIds) || !ids(agentIds) || !ids(customerIds) || !ids(tokenHashes)) return null;
  return { tokenIds, agentIds, customerIds, tokenHashes, all: all === true };
}
