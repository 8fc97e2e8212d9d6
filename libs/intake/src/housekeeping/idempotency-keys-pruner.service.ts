import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { deleteInBatches, deleteOlderThanSql, whileHoldingAdvisoryLock } from '@helpdesk/database';

const PRUNE_LOCK_KEY = 7_202_611_282;

/** Keys older than the retention, oldest first (index on created_at). */
const PRUNE_KEYS = deleteOlderThanSql('idempotency_keys', 'created_at', 'hour');
/** Bulk requests older than the retention, oldest first (index on created_at, migration 1764005000200). */
const PRUNE_BULK_REQUESTS = deleteOlderThanSql('ticket_bulk_requests', 'created_at', 'hour');

export interface IdempotencyKeysPruned {
  skipped: boolean;
  /** Idempotency keys of POST /tickets. */
  deleted: number;
  /** `ticket_bulk_requests` rows. */
  bulkRequests: number;
  batches: number;
}

/**
 * Forgets `Idempotency-Key`s older than IDEMPOTENCY_KEY_RETENTION_HOURS, the window in which a
 * repeat of POST /tickets is promised the original ticket (a key younger than that is never
 * deleted), and the records of POST /tickets/bulk (`ticket_bulk_requests`, keyed or not: a repeat
 * with the same key within the window gets the recorded results; each ticket's own events keep
 * what a bulk request changed). In batches of PRUNE_BATCH_SIZE, each committed on its own; one run
 * at a time.
 */
@Injectable()
export class IdempotencyKeysPruner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async prune(): Promise<IdempotencyKeysPruned> {
    const hours = [this.config.IDEMPOTENCY_KEY_RETENTION_HOURS];
    const run = await whileHoldingAdvisoryLock(this.dataSource, PRUNE_LOCK_KEY, async () => {
      const keys = await deleteInBatches(this.dataSource, PRUNE_KEYS, hours, this.config.PRUNE_BATCH_SIZE);
      const bulk = await deleteInBatches(this.dataSource, PRUNE_BULK_REQUESTS, hours, this.config.PRUNE_BATCH_SIZE);
      return { deleted: keys.deleted, bulkRequests: bulk.deleted, batches: keys.batches + bulk.batches };
    });
    return run.ran ? { skipped: false, ...run.result } : { skipped: true, deleted: 0, bulkRequests: 0, batches: 0 };
  }
}
