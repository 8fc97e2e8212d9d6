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
 * Whose stream ticket it is: the token it was issued on (its rights are read again when it is
 * used) and, when a console session cookie asked for it, that session's hash (the stream lives
 * only as long as the session).
 */
export interface StreamTicketHolder {
  tokenId: string;
  agentId: string;
  sessionHash?: string;
}

/**
 * Short-lived, single-use tickets that let a browser's EventSource (which cannot send headers)
 * open the live stream with `?token=`. Only the ticket's SHA-256 is stored, in Redis, with a TTL;
 * using it deletes it (GETDEL), so a ticket opens one stream at most. A ticket carries no roles:
 * whoever redeems it gets the rights its token has then, not those it had when it was issued.
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

  async issue(principal: StaffPrincipal, sessionHash?: string): Promise<StreamTicket> {
    const token = `hst_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + STREAM_TICKET_TTL_SECONDS * 1000).toISOString();
    const holder: StreamTicketHolder = { tokenId: principal.tokenId, agentId: principal.agentId, ...(sessionHash ? { sessionHash } : {}) };
    await this.redis.set(this.key(token), JSON.stringify(holder), 'EX', STREAM_TICKET_TTL_SECONDS);
    return { token, expiresAt };
  }

  /** Whose ticket it was, once; null when unknown, expired or already used. */
  async redeem(token: string): Promise<StreamTicketHolder | null> {
    if (!/^hst_[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const raw = await this.redis.getdel(this.key(token));
    if (!raw) return null;
    const holder = JSON.parse(raw) as Partial<StreamTicketHolder>;
    if (typeof holder.tokenId !== 'string' || typeof holder.agentId !== 'string') return null;
    return { tokenId: holder.tokenId, agentId: holder.agentId, ...(typeof holder.sessionHash === 'string' ? { sessionHash: holder.sessionHash } : {}) };
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
