import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ALL_QUEUES, QueueName } from '@helpdesk/queue';

const BATCH = 500;
const IDLE_POLL_MS = 100;
const ADD_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 5_000;

interface OutboxRow {
  id: string;
  queue: QueueName;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
}

/**
 * Moves outbox rows to BullMQ: lock a batch (SKIP LOCKED, so many relays can run), add the jobs
 * with the business id as job id, delete the rows, commit. If Redis is down the transaction rolls
 * back and the rows wait; nothing is lost, and a repeat after a crash adds nothing twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private readonly queues = new Map<QueueName, Queue>();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Seconds the oldest waiting row has waited, as last seen (for metrics). */
  lagSeconds = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      // Connection errors while Redis is away are expected; the relay retries, nothing is lost.
      queue.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        const moved = await this.relayBatch();
        backoff = 0;
        if (moved < BATCH) await this.sleep(IDLE_POLL_MS);
      } catch (error) {
        backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : 200);
        this.logger.warn(`outbox relay paused ${backoff} ms: ${error instanceof Error ? error.message : error}`);
        await this.sleep(backoff);
      }
    }
  }

  /** One batch in one transaction; returns how many rows moved. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, queue, job_name, job_id, payload FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) {
        this.lagSeconds = 0;
        return 0;
      }
      const byQueue = new Map<QueueName, OutboxRow[]>();
      for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      try {
        for (const [name, jobs] of byQueue) {
          const queue = this.queues.get(name);
          if (!queue) throw new Error(`no queue named ${name}`);
          await withTimeout(
            queue.addBulk(jobs.map((j) => ({ name: j.job_name, data: j.payload, opts: { jobId: j.job_id } }))),
            ADD_TIMEOUT_MS,
          );
        }
      } catch (error) {
        await manager
          .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [
            rows.map((r) => r.id),
            error instanceof Error ? error.message.slice(0, 500) : 'unknown',
          ])
          .catch(() => undefined);
        throw error;
      }
      await manager.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, ms);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
