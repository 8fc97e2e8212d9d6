import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { AppConfig } from '@helpdesk/config';
import { redisOptionsFromUrl, withTimeout } from './redis-connection';

/** Readiness of Redis: a PING that must answer within the timeout. */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly client: Redis;

  constructor(
    config: AppConfig,
    private readonly health: HealthIndicatorService,
  ) {
    this.client = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      connectTimeout: 1000,
    });
    this.client.on('error', () => undefined);
    this.client.connect().catch(() => undefined);
  }

  async pingCheck(key: string, timeoutMs = 1000) {
    const indicator = this.health.check(key);
    try {
      const pong = await withTimeout(this.client.ping(), timeoutMs, 'Redis');
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected reply ${pong}` });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}
