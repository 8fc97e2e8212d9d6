import Redis, { RedisOptions } from 'ioredis';
import { quitRedis } from '@helpdesk/queue';

/**
 * The Redis pub/sub channel on which writers tell the outbox relays that rows were committed, so
 * that a relay moves them at once instead of at its next poll. A wake-up carries nothing and may be
 * lost (Redis away, no relay subscribed): the relays' poll is the safety net, nothing depends on it.
 */
export const outboxWakeChannel = (queuePrefix: string): string => `${queuePrefix}:outbox-wake`;

/**
 * Publishes wake-ups: fire and forget on its own lazy connection, at most one per turn of the event
 * loop however many writers committed in it. Never throws into the caller, never waits for Redis.
 */
export class OutboxWakePublisher {
  private client?: Redis;
  private scheduled = false;
  private failing = false;
  private closed = false;

  constructor(
    private readonly redis: RedisOptions,
    private readonly channel: string,
    private readonly warn: (message: string) => void,
  ) {}

  wake(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.closed) return;
      try {
        this.connection()
          .publish(this.channel, '')
          .then(() => (this.failing = false))
          .catch((error: unknown) => this.warnOnce(`outbox wake-up not published (the relays' poll moves the rows): ${error instanceof Error ? error.message : String(error)}`));
      } catch (error) {
        this.warnOnce(`outbox wake-up not published: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (!client || client.status === 'wait' || client.status === 'end') return;
    await quitRedis(client);
    client.disconnect();
  }

  private connection(): Redis {
    if (!this.client) {
      this.client = new Redis({
        ...this.redis,
        lazyConnect: true,
        // A wake-up queued while Redis is away fails after a few attempts instead of piling up.
        maxRetriesPerRequest: 2,
        connectionName: 'helpdesk-outbox-wake',
      });
      this.client.on('error', (error: Error) => this.warnOnce(`outbox wake-ups: Redis connection error: ${error.message}`));
      this.client.on('ready', () => (this.failing = false));
    }
    return this.client;
  }

  private warnOnce(message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.warn(message);
  }
}

/** A relay's subscription to wake-ups: calls `onWake` for each; reconnects and resubscribes by itself. */
export class OutboxWakeSubscriber {
  private readonly client: Redis;
  private failing = false;

  constructor(redis: RedisOptions, channel: string, onWake: () => void, warn: (message: string) => void) {
    this.client = new Redis({ ...redis, connectionName: 'helpdesk-outbox-relay-wake' });
    this.client.on('error', (error: Error) => {
      if (this.failing) return;
      this.failing = true;
      warn(`outbox wake-ups: Redis connection error (the relay polls meanwhile): ${error.message}`);
    });
    this.client.on('ready', () => (this.failing = false));
    this.client.on('message', onWake);
    this.client.subscribe(channel).catch((error: unknown) => warn(`outbox wake-ups: could not subscribe (the relay polls): ${error instanceof Error ? error.message : String(error)}`));
  }

  close(): void {
    this.client.disconnect();
  }
}
