import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The three budgets: per customer token, per staff token, per client address without a valid token. */
export type RateLimitName = 'customer' | 'staff' | 'anonymous';

export type EdgeRequest = FastifyRequest & { principal?: Principal };

/** For routes that must never be limited (a load balancer's health probes). */
export const SkipRateLimits = () => SkipThrottle({ customer: true, staff: true, anonymous: true });

/** A request over its budget: 429 problem, with the seconds to wait as Retry-After. */
export class RateLimitedException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    readonly tracker: string,
  ) {
    super(`Too many requests: try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

const principalOf = (context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<EdgeRequest>().principal;

/**
 * The named throttlers: a request is counted against exactly one budget, its token's (customers
 * and staff separately) or, without a valid token, its client address's. A budget of 0 is no limit.
 */
export function rateLimitOptions(config: AppConfig, storage: RedisThrottlerStorage): ThrottlerModuleOptions {
  const budget = (name: RateLimitName, limit: number, applies: (principal: Principal | undefined) => boolean) => ({
    name,
    ttl: config.RATE_LIMIT_WINDOW_MS,
    limit,
    skipIf: (context: ExecutionContext) => limit === 0 || !applies(principalOf(context)),
  });
  return {
    storage,
    throttlers: [
      budget('customer', config.RATE_LIMIT_CUSTOMER, (p) => p?.kind === 'customer'),
      budget('staff', config.RATE_LIMIT_STAFF, (p) => p?.kind === 'staff'),
      budget('anonymous', config.RATE_LIMIT_ANONYMOUS, (p) => p === undefined),
    ],
  };
}

/**
 * @nestjs/throttler's guard, counting per token (or per client address) across all routes — not
 * per route — and answering with RateLimitedException. The edge gate runs it from a Fastify hook,
 * before the body is read, rather than as a Nest guard, which would run after.
 */
@Injectable()
export class EdgeThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = (request as unknown as EdgeRequest).principal;
    return principal ? `token:${principal.tokenId}` : `ip:${await super.getTracker(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedException(Math.max(1, detail.timeToBlockExpire), detail.tracker);
  }
}
