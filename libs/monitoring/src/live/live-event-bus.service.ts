import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { Observable, Subject } from 'rxjs';
import { AppConfig } from '@helpdesk/config';
import { LIVE_EVENT_TYPES, LiveEvent, liveEventsChannel, quitRedis, redisOptionsFromUrl } from '@helpdesk/queue';

/**
 * The receiving side of live events: ONE Redis subscriber connection per process, opened when the
 * first stream listens, multicast to every stream through a Subject. Events come only from Redis,
 * so whatever any api or worker process publishes reaches every stream of every api process.
 */
@Injectable()
export class LiveEventBus implements OnModuleDestroy {
  private readonly logger = new Logger(LiveEventBus.name);
  private readonly subject = new Subject<LiveEvent>();
  private readonly channel: string;
  private subscriber?: Redis;
  private subscribed?: Promise<void>;

  constructor(private readonly config: AppConfig) {
    this.channel = liveEventsChannel(config.QUEUE_PREFIX);
  }

  /** Every live event published from now on, by any process. */
  get events$(): Observable<LiveEvent> {
    return this.subject.asObservable();
  }

  /**
   * Subscribes this process to the channel (once). Resolves true once Redis confirmed the
   * subscription, false after `timeoutMs` (the subscriber keeps trying in the background).
   */
  async listen(timeoutMs = 2000): Promise<boolean> {
    if (!this.subscribed) {
      this.subscribed = this.subscribe().catch((error: unknown) => {
        // Start over on the next stream rather than keep a failed subscriber.
        this.logger.warn(`Live events: could not subscribe to ${this.channel}: ${error instanceof Error ? error.message : String(error)}`);
        this.subscriber?.disconnect();
        this.subscriber = undefined;
        this.subscribed = undefined;
        throw error;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.subscribed.then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async subscribe(): Promise<void> {
    const subscriber = new Redis({ ...redisOptionsFromUrl(this.config.REDIS_URL), lazyConnect: true, connectionName: 'helpdesk-live-subscriber' });
    this.subscriber = subscriber;
    let failing = false;
    subscriber.on('error', (error: Error) => {
      if (!failing) this.logger.warn(`Live events subscriber: ${error.message}`);
      failing = true;
    });
    subscriber.on('ready', () => (failing = false));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = parse(message);
      if (event) this.subject.next(event);
      else this.logger.warn(`Live events: ignored a malformed message on ${channel}`);
    });
    // ioredis subscribes again by itself after a reconnect.
    await subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    const subscriber = this.subscriber;
    if (!subscriber) return;
    await quitRedis(subscriber);
    subscriber.disconnect();
  }
}

function parse(message: string): LiveEvent | null {
  try {
    const value = JSON.parse(message) as Partial<LiveEvent>;
    const ok =
      typeof value === 'object' && value !== null &&
      LIVE_EVENT_TYPES.includes(value.type as LiveEvent['type']) &&
      typeof value.data === 'object' && value.data !== null &&
      typeof value.at === 'string';
    return ok ? (value as LiveEvent) : null;
  } catch {
    return null;
  }
}
