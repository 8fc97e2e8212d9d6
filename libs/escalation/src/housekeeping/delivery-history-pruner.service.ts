import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { deleteInBatches, deleteOlderThanSql, whileHoldingAdvisoryLock } from '@helpdesk/database';

const PRUNE_LOCK_KEY = 7_202_611_281;

/**
 * Delivery attempts older than the retention, oldest first by id (ids grow with time, so the
 * primary key finds them without an index on `at`): a batch that deletes less than a full batch has
 * reached the attempts still kept.
 */
const PRUNE_ATTEMPTS = `
  DELETE FROM escalation_attempts
   WHERE id = ANY(ARRAY(SELECT id FROM escalation_attempts ORDER BY id LIMIT $1))
     AND at < now() - $2 * interval '1 day'`;

/** Vendor callback delivery ids older than the retention (a replay after it is applied as new). */
const PRUNE_CALLBACK_DELIVERIES = deleteOlderThanSql('escalation_callback_deliveries', 'received_at', 'day');

export interface DeliveryHistoryPruned {
  skipped: boolean;
  attempts: number;
  callbackDeliveries: number;
  batches: number;
}

/**
 * Keeps escalation's history tables from growing without end: delivery attempts are kept
 * ESCALATION_ATTEMPT_RETENTION_DAYS, vendor callback delivery ids CALLBACK_DELIVERY_RETENTION_DAYS
 * (the escalations themselves stay). Deleted in batches of PRUNE_BATCH_SIZE, each committed on its
 * own; one run at a time across workers.
 */
@Injectable()
export class DeliveryHistoryPruner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async prune(): Promise<DeliveryHistoryPruned> {
    const run = await whileHoldingAdvisoryLock(this.dataSource, PRUNE_LOCK_KEY, async () => {
      const batch = this.config.PRUNE_BATCH_SIZE;
      const attempts = await deleteInBatches(this.dataSource, PRUNE_ATTEMPTS, [this.config.ESCALATION_ATTEMPT_RETENTION_DAYS], batch);
      const callbacks = await deleteInBatches(this.dataSource, PRUNE_CALLBACK_DELIVERIES, [this.config.CALLBACK_DELIVERY_RETENTION_DAYS], batch);
      return { skipped: false, attempts: attempts.deleted, callbackDeliveries: callbacks.deleted, batches: attempts.batches + callbacks.batches };
    });
    return run.ran ? run.result : { skipped: true, attempts: 0, callbackDeliveries: 0, batches: 0 };
  }
}
