import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { deleteInBatches, deleteOlderThanSql, whileHoldingAdvisoryLock } from '@helpdesk/database';

const PRUNE_LOCK_KEY = 7_202_611_282;

/** Keys older than the retention, oldest first (index on created_at). */
const PRUNE_KEYS = deleteOlderThanSql('idempotency_keys', 'created_at', 'hour');

export interface IdempotencyKeysPruned {
  skipped: boolean;
  deleted: number;
  batches: number;
}

/**
 * Forgets `Idempotency-Key`s older than IDEMPOTENCY_KEY_RETENTION_HOURS, the window in which a
 * repeat of POST /tickets is promised the original ticket (a key younger than that is never
 * deleted). In batches of PRUNE_BATCH_SIZE, each committed on its own; one run at a time.
 */
@Injectable()
export class IdempotencyKeysPruner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async prune(): Promise<IdempotencyKeysPruned> {
    const run = await whileHoldingAdvisoryLock(this.dataSource, PRUNE_LOCK_KEY, () =>
      deleteInBatches(this.dataSource, PRUNE_KEYS, [this.config.IDEMPOTENCY_KEY_RETENTION_HOURS], this.config.PRUNE_BATCH_SIZE),
    );
    return run.ran ? { skipped: false, ...run.result } : { skipped: true, deleted: 0, batches: 0 };
  }
}
