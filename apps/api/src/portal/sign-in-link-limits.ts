import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { AppConfig } from '@helpdesk/config';
import { RateLimitedException } from '../edge/rate-limits';
import { RedisThrottlerStorage } from '../edge/redis-throttler.storage';

/**
 * How often sign-in links may be asked for: PORTAL_LINK_LIMIT per PORTAL_LINK_WINDOW_MS per e-mail
 * address and per client address, counted whether the address is a contact or not (a 429 that only
 * known addresses got would tell them apart), in the API's Redis rate-limit store.
 */
@Injectable()
export class SignInLinkLimits {
  constructor(
    private readonly storage: RedisThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async count(email: string, clientAddress: string, reply: FastifyReply): Promise<void> {
    const addressKey = createHash('sha256').update(email.toLowerCase()).digest('hex');
    for (const key of [`portal-link:email:${addressKey}`, `portal-link:ip:${clientAddress}`]) {
      const window = this.config.PORTAL_LINK_WINDOW_MS;
      const counted = await this.storage.increment(key, window, this.config.PORTAL_LINK_LIMIT, window);
      if (counted.isBlocked) {
        const retryAfter = Math.max(1, counted.timeToBlockExpire);
        void reply.header('Retry-After', String(retryAfter));
        throw new RateLimitedException(retryAfter, key);
      }
    }
  }
}
