import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { ALL_QUEUES, QueueName, redisOptionsFromUrl, withTimeout } from '@helpdesk/queue';
import { outboxWakeChannel, OutboxWakeSubscriber } from './outbox-wake';

const BATCH = 500;
const ADD_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 5_000;
/**
 * A woken relay starts a batch at most this long after the start of its previous one, so that a
 * stream of wake-ups (one per commit) is moved in batches of a few rows rather than one batch per
 * row (each batch costs a PostgreSQL commit and a Redis round trip).
 */
const MIN_BATCH_GAP_MS = 20;

export interface OutboxRow {
  id: string;
  queue: QueueName;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
}

export interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] } | Array<{ rows: unknown[] }>>;
}

/** The claim, prepared once per connection (SQL `PREPARE`: it has no parameters, so its one plan is kept). */
const CLAIM_STATEMENT = 'outbox_relay_claim';
const PREPARE_CLAIM = `PREPARE ${CLAIM_STATEMENT} AS DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) RETURNING id, queue, job_name, job_id, payload`;

/**
 * Opens the relay's transaction and takes a batch in one round trip (a simple-protocol query of
 * two statements): the rows are deleted, and locked until COMMIT (SKIP LOCKED: many relays can
 * run). They are gone only if the jobs were added; otherwise ROLLBACK puts them back. The DELETE is
 * the connection's prepared statement (a simple-protocol query cannot name one: it was parsed and
 * planned at every batch); on a connection that has not prepared it yet, PREPARE comes first in the
 * same round trip.
 */
const CLAIM_BATCH = `BEGIN; EXECUTE ${CLAIM_STATEMENT}`;

/** PostgreSQL's codes for a prepared statement already there, and for one that is not. */
const DUPLICATE_PREPARED_STATEMENT = '42P05';
const UNKNOWN_PREPARED_STATEMENT = '26000';

/** The pooled connections of this process on which the claim is prepared (a connection that ends is forgotten with it). */
const CLAIM_PREPARED_ON = new WeakSet<object>();

/**
 * Opens a transaction on `client` and takes the next batch of outbox rows in it (CLAIM_BATCH), in one
 * round trip; prepares the claim on the connection first when `preparedOn` does not hold it yet.
 */
export async function claimOutboxBatch(client: PgClient, preparedOn: WeakSet<object> = CLAIM_PREPARED_ON): Promise<OutboxRow[]> {
  const unprepared = !preparedOn.has(client);
  try {
    const results = (await client.query(unprepared ? `${PREPARE_CLAIM}; ${CLAIM_BATCH}` : CLAIM_BATCH)) as Array<{ rows: OutboxRow[] }>;
    preparedOn.add(client);
    return results[results.length - 1].rows;
  } catch (error) {
    // The connection knows the claim after all (a first round trip failed after its PREPARE), or no
    // longer does (DEALLOCATE, DISCARD): the caller rolls back and retries, and the next batch knows.
    const code = (error as { code?: string }).code;
    if (code === DUPLICATE_PREPARED_STATEMENT) preparedOn.add(client);
    if (code === UNKNOWN_PREPARED_STATEMENT) preparedOn.delete(client);
    throw error;
  }
}

/**
 * Moves outbox rows to BullMQ: take a batch (deleted inside an open transaction), add the jobs with
 * the business id as job id, commit. If Redis is down the transaction rolls back and the rows wait;
 * nothing is lost, and a repeat after a crash adds nothing twice.
 *
 * Writers wake the relays after their commit (OutboxService.wakeRelays, over Redis pub/sub), so a
 * row is usually moved a few milliseconds after it was committed. The relay still polls every
 * OUTBOX_POLL_MS (100) when idle: a lost wake-up delays a row by at most that, never loses it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private readonly queues = new Map<QueueName, Queue>();
  private running = false;
  private loop?: Promise<void>;
  /** Ends the current idle sleep early (a wake-up). */
  private wakeIdle?: () => void;
  /** Ends any sleep, idle or backoff (shutdown). */
  private stopSleeping?: () => void;
  /** A wake-up arrived while a batch was being moved: look again before sleeping. */
  private woken = false;
  private wakeUps?: OutboxWakeSubscriber;
  /** Seconds the oldest waiting row has waited, as last seen (for metrics). */
  lagSeconds = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      // Connection errors while Redis is away are expected; the relay retries, nothing is lost.
      queue.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    this.wakeUps = new OutboxWakeSubscriber(
      redisOptionsFromUrl(this.config.REDIS_URL),
      outboxWakeChannel(this.config.QUEUE_PREFIX),
      () => this.wake(),
      (message) => this.logger.warn(message),
    );
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wakeUps?.close();
    this.stopSleeping?.();
    await this.loop;
  }

  /** Rows were committed: move them now (or right after the batch in progress). */
  wake(): void {
    this.woken = true;
    this.wakeIdle?.();
  }

  private async run(): Promise<void> {
    let backoff = 0;
    let lastBatchAt = 0;
    while (this.running) {
      try {
        const gap = lastBatchAt + MIN_BATCH_GAP_MS - Date.now();
        if (gap > 0) await this.sleep(gap, false);
        if (!this.running) break;
        lastBatchAt = Date.now();
        this.woken = false;
        const moved = await this.relayBatch();
        backoff = 0;
        if (moved < BATCH && !this.woken) await this.sleep(this.config.OUTBOX_POLL_MS, true);
      } catch (error) {
        backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : 200);
        this.logger.warn(`outbox relay paused ${backoff} ms: ${error instanceof Error ? error.message : error}`);
        await this.sleep(backoff, false);
      }
    }
  }

  /** One batch in one transaction (two round trips when rows were taken); returns how many rows moved. */
  async relayBatch(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PgClient;
    let broken: Error | undefined;
    try {
      const taken = { rows: await claimOutboxBatch(client) };
      const rows = taken.rows.sort((a, b) => Number(a.id) - Number(b.id));
      if (rows.length === 0) {
        await client.query('COMMIT');
        this.lagSeconds = 0;
        return 0;
      }
      const byQueue = new Map<QueueName, OutboxRow[]>();
      for (const row of rows) {
        const jobs = byQueue.get(row.queue);
        if (jobs) jobs.push(row);
        else byQueue.set(row.queue, [row]);
      }
      try {
        for (const [name, jobs] of byQueue) {
          const queue = this.queues.get(name);
          if (!queue) throw new Error(`no queue named ${name}`);
          await withTimeout(
            queue.addBulk(jobs.map((j) => ({ name: j.job_name, data: j.payload, opts: { jobId: j.job_id } }))),
            ADD_TIMEOUT_MS,
            'Redis',
          );
        }
      } catch (error) {
        await client.query('ROLLBACK');
        await client
          .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [
            rows.map((r) => r.id),
            error instanceof Error ? error.message.slice(0, 500) : 'unknown',
          ])
          .catch(() => undefined);
        throw error;
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      // Whatever failed, leave no transaction open on the pooled connection (or drop the connection).
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      await (runner as unknown as { releasePostgresConnection(err?: Error): Promise<void> }).releasePostgresConnection(broken);
    }
  }

  /** Sleeps `ms`; a wake-up ends it early only when `wakeable` (idle, not backing off); shutdown always. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeIdle = this.stopSleeping = undefined;
        done();
      };
      const timer = setTimeout(finish, ms);
      this.stopSleeping = finish;
      if (wakeable) this.wakeIdle = finish;
    });
  }
}
