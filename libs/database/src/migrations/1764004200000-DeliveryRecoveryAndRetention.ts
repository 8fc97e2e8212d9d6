import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempts that a killed worker cut short: an attempt row is written `in_flight` before the
 * webhook is posted and finished after the answer, so a row still `in_flight` when the delivery
 * runs again is one the vendor may have received without its outcome being recorded (`cut_short`).
 * Its duration is unknown (NULL). `delivery_round` says which delivery round (0, then one more per
 * retry or re-enqueue) the attempt belongs to.
 *
 * Retention: `idempotency_keys` and `escalation_callback_deliveries` are pruned by age, which
 * needs an index on the age column; `escalation_attempts` is pruned in primary-key order (its ids
 * grow with time), which needs none.
 */
export class DeliveryRecoveryAndRetention1764004200000 implements MigrationInterface {
  name = 'DeliveryRecoveryAndRetention1764004200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE escalation_attempts
        ADD COLUMN state text NOT NULL DEFAULT 'finished' CONSTRAINT escalation_attempts_state_check CHECK (state IN ('in_flight','finished','cut_short')),
        ADD COLUMN delivery_round int NOT NULL DEFAULT 0,
        ALTER COLUMN duration_ms DROP NOT NULL`);
    await q.query(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
    await q.query(`CREATE INDEX escalation_callback_deliveries_received_at_idx ON escalation_callback_deliveries (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX escalation_callback_deliveries_received_at_idx`);
    await q.query(`DROP INDEX idempotency_keys_created_at_idx`);
    await q.query(`UPDATE escalation_attempts SET duration_ms = 0 WHERE duration_ms IS NULL`);
    await q.query(`
      ALTER TABLE escalation_attempts
        ALTER COLUMN duration_ms SET NOT NULL,
        DROP COLUMN delivery_round,
        DROP COLUMN state`);
  }
}
