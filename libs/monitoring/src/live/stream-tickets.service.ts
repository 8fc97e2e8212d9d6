import { Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import type { StaffPrincipal } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { quitRedis, redisOptionsFromUrl } from '@helpdesk/queue';

/** How long a stream ticket may wait to be used. */
export const STREAM_TICKET_TTL_SECONDS = 60;

export interface StreamTicket {
  token: string;
  expiresAt: string;
}

/**
 * Short-lived, single-use tickets that let a browser's EventSource (which cannot send headers)
 * open the live stream with `?token=`. Only the ticket's SHA-256 is stored, in Redis, with a TTL;
 * using it deletes it (GETDEL), so a ticket opens one stream at most.
 */
@Injectable()
export class StreamTicketService implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(config: AppConfig) {
    this.prefix = `${config.QUEUE_PREFIX}:live:stream-ticket:`;
    this.redis = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), lazyConnect: true, maxRetriesPerRequest: 1, connectionName: 'helpdesk-stream-tickets' });
    this.redis.on('error', () => undefined);
  }

  async issue(principal: StaffPrincipal): Promise<StreamTicket> {
    const token = `hst_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + STREAM_TICKET_TTL_SECONDS * 1000).toISOString();
    const holder: StaffPrincipal = { kind: 'staff', agentId: principal.agentId, roles: principal.roles, tokenId: principal.tokenId };
    await this.redis.set(this.key(token), JSON.stringify(holder), 'EX', STREAM_TICKET_TTL_SECONDS);
    return { token, expiresAt };
  }

  /** The principal the ticket was issued to, once; null when unknown, expired or already used. */
  async redeem(token: string): Promise<StaffPrincipal | null> {
    if (!/^hst_[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const raw = await this.redis.getdel(this.key(token));
    return raw ? (JSON.parse(raw) as StaffPrincipal) : null;
  }

  private key(token: string): string {
    return this.prefix + createHash('sha256').update(token, 'utf8').digest('hex');
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') return;
    await quitRedis(this.redis);
    this.redis.disconnect();
  }
}
