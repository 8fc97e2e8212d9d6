import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { quitRedis, redisOptionsFromUrl, withTimeout } from './redis-connection';

/** How long a publisher waits for Redis and the other processes before it answers anyway. */
const PUBLISH_TIMEOUT_MS = 1000;

/** A message: a JSON object, sent as its own fields beside the envelope's `id` and `origin`. */
export type BroadcastMessage = Record<string, unknown>;

export interface RedisBroadcastOptions<T extends BroadcastMessage> {
  redisUrl: string;
  /** The pub/sub channel (queue-prefixed by the caller); its acknowledgements go to `<channel>:applied`. */
  channel: string;
  /** How its warnings and Redis connections are named. */
  name: string;
  /** A message as received (its fields but the envelope's), or null when it is not one this version reads. */
  parse: (fields: Record<string, unknown>) => T | null;
}

/**
 * One message to every process that listens, each applied before the publisher goes on: `publish`
 * hands it to this process's listeners at once, then to the others over Redis pub/sub, and waits
 * (a second at most) until each subscribed process says it has applied it — so a request answered
 * after `publish` finds it applied in every process. A process that is not subscribed (not yet, or
 * Redis is away) may miss messages: `live` says whether it hears them all, and listeners get null
 * when the subscription starts or comes back after a gap (anything may have been missed), and for
 * a message they cannot read.
 */
export class RedisBroadcast<T extends BroadcastMessage> {
  private readonly logger: Logger;
  private readonly acknowledgements: string;
  /** Marks this process's own messages, applied already when published. */
  private readonly origin = randomUUID();
  private readonly listeners: Array<(message: T | null) => void> = [];
  private readonly awaited = new Map<string, { applied: number; needed: number; done: () => void }>();
  private subscriber?: Redis;
  private publisher?: Redis;
  private subscribed = false;
  private failing = false;
  private closed = false;

  constructor(private readonly options: RedisBroadcastOptions<T>) {
    this.logger = new Logger(options.name);
    this.acknowledgements = `${options.channel}:applied`;
  }

  /** True while this process hears every message. */
  get live(): boolean {
    return this.subscribed;
  }

  onMessage(listener: (message: T | null) => void): void {
    this.listeners.push(listener);
  }

  /** Subscribes this process (once, on first use). */
  listen(): void {
    if (this.subscriber || this.closed) return;
    const subscriber = new Redis({ ...redisOptionsFromUrl(this.options.redisUrl), lazyConnect: true, autoResubscribe: false, connectionName: this.options.name });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.warnOnce(`Redis connection error (nothing is kept meanwhile): ${error.message}`));
    subscriber.on('close', () => {
      if (!this.subscribed) return;
      this.subscribed = false;
      this.emit(null);
    });
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.options.channel, this.acknowledgements)
        .then(() => {
          this.failing = false;
          this.subscribed = true;
          this.emit(null);
        })
        .catch((error: unknown) => this.warnOnce(`could not subscribe: ${error instanceof Error ? error.message : String(error)}`));
    });
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.acknowledgements) return this.acknowledged(raw);
      const envelope = parseEnvelope(raw);
      if (envelope?.origin === this.origin) return;
      this.emit(envelope ? this.options.parse(envelope.fields) : null);
      if (typeof envelope?.id === 'string') {
        this.connection()
          .publish(this.acknowledgements, envelope.id)
          .catch((error: unknown) => this.warnOnce(`could not acknowledge: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
    subscriber.connect().catch(() => undefined);
  }

  /** Applies `message` here, then in every subscribed process (see the class). Never rejects. */
  async publish(message: T): Promise<void> {
    this.emit(message);
    if (this.closed) return;
    const id = randomUUID();
    const waiting = this.subscribed ? this.await(id) : undefined;
    try {
      await withTimeout(
        (async () => {
          const receivers = await this.connection().publish(this.options.channel, JSON.stringify({ ...message, id, origin: this.origin }));
          // This process's own subscriber is among the receivers and does not answer itself.
          await waiting?.(receivers - 1);
        })(),
        PUBLISH_TIMEOUT_MS,
        `${this.options.name} (Redis PUBLISH and the other processes applying it)`,
      );
    } catch (error) {
      // Not published: the others are not subscribed then either (same Redis): they keep nothing until they are, and drop everything when they are.
      this.warnOnce(`not confirmed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.awaited.delete(id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribed = false;
    for (const client of [this.subscriber, this.publisher]) {
      if (!client || client.status === 'end') continue;
      // QUIT only on a connection that is up: one still connecting or retrying is just dropped (no retry after).
      if (client.status === 'ready') await quitRedis(client);
      client.disconnect();
    }
  }

  /** Starts counting acknowledgements of `id` (they may arrive before PUBLISH answers); resolves once `needed` have. */
  private await(id: string): (needed: number) => Promise<void> {
    let done!: () => void;
    const applied = new Promise<void>((resolve) => (done = resolve));
    const entry = { applied: 0, needed: Number.POSITIVE_INFINITY, done };
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
      this.publisher = new Redis({ ...redisOptionsFromUrl(this.options.redisUrl), lazyConnect: true, maxRetriesPerRequest: 1, connectionName: `${this.options.name}-publisher` });
      this.publisher.on('error', (error: Error) => this.warnOnce(`Redis connection error: ${error.message}`));
    }
    return this.publisher;
  }

  private emit(message: T | null): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.logger.error(`a listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private warnOnce(message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(message);
  }
}

/** The envelope's `id` and `origin`, and the message's own fields beside them. */
function parseEnvelope(raw: string): { id: unknown; origin: unknown; fields: Record<string, unknown> } | null {
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    const { id, origin, ...fields } = v as Record<string, unknown>;
    return { id, origin, fields };
  } catch {
    return null;
  }
}
