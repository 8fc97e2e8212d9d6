import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@helpdesk/config';
import { quitRedis, redisOptionsFromUrl } from './redis-connection';

/** What happened, as live dashboards see it (the SSE `event:` name). Values are public: never rename one. */
export type LiveEventType = 'ticket.created' | 'ticket.escalated' | 'sla.breached' | 'escalation.failed';

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = ['ticket.created', 'ticket.escalated', 'sla.breached', 'escalation.failed'];

/** The data each live event carries: ids and a few fields for display, never whole rows. */
export interface LiveEventPayloads {
  'ticket.created': { id: string; number: string; customerId: string; subject: string; priority: string; channel: string };
  'ticket.escalated': { escalationId: string; ticketId: string; tier: string; trigger?: string };
  'sla.breached': { ticketId: string; target: 'firstResponse' | 'resolution'; dueAt: string };
  'escalation.failed': { escalationId: string; ticketId: string; tier: string; attempts?: number; error?: string };
}

/** One message on the live channel (JSON): `at` is when it was published (ISO 8601). */
export interface LiveEvent<T extends LiveEventType = LiveEventType> {
  type: T;
  data: LiveEventPayloads[T];
  at: string;
}

/** The Redis pub/sub channel every api and worker process of a deployment shares. */
export const liveEventsChannel = (queuePrefix: string): string => `${queuePrefix}:live`;

/** Publishes not yet answered beyond which new ones are dropped (Redis unreachable for long). */
const MAX_IN_FLIGHT = 10_000;

/**
 * The publishing side of live events, for any context (intake, triage, escalation) without
 * depending on monitoring: `liveEvents.publish('ticket.created', {...})` after the change has
 * committed. Best effort: it never throws into the caller and never waits for Redis (fire and
 * forget on its own lazy connection; failures are logged at warn).
 */
@Injectable()
export class LiveEvents implements OnModuleDestroy {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly client: Redis;
  private readonly channel: string;
  private inFlight = 0;
  private failing = false;

  constructor(config: AppConfig) {
    this.channel = liveEventsChannel(config.QUEUE_PREFIX);
    this.client = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      // Commands queued while disconnected fail after a few reconnect attempts instead of piling up.
      maxRetriesPerRequest: 2,
      connectionName: 'helpdesk-live-publisher',
      // Publishes issued in the same tick (busy intake) go out in one write.
      enableAutoPipelining: true,
    });
    this.client.on('error', (error: Error) => this.warnOnce(`Live events: Redis connection error: ${error.message}`));
    this.client.on('ready', () => (this.failing = false));
  }

  /** Fire and forget; returns at once. */
  publish<T extends LiveEventType>(type: T, data: LiveEventPayloads[T]): void {
    try {
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.warnOnce(`Live events: ${this.inFlight} publishes waiting for Redis; dropping ${type}`);
        return;
      }
      const message = JSON.stringify({ type, data, at: new Date().toISOString() } satisfies LiveEvent<T>);
      this.inFlight++;
      this.client
        .publish(this.channel, message)
        .then(() => (this.failing = false))
        .catch((error: unknown) => this.warnOnce(`Live events: could not publish ${type}: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.inFlight--);
    } catch (error) {
      this.logger.warn(`Live events: could not publish ${type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'wait' || this.client.status === 'end') return;
    // QUIT lets publishes already sent be answered; a dead connection is simply dropped.
    await quitRedis(this.client);
    this.client.disconnect();
  }

  /** One warning per outage, not one per event or reconnect attempt. */
  private warnOnce(message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(message);
  }
}
