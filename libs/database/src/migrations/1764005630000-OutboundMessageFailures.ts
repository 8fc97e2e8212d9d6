import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outgoing mail an admin can see and send again (issue #15):
 * - `status` gains `failed`: the sender's last attempt (NOTIFICATION_ATTEMPTS) failed too, recorded
 *   with the attempt's error in the sender's own statement; `failed_at` is when.
 * - `send_round`: 0 for the first sending, +1 for each retry an admin asks for; the round's job id is
 *   `<id>-retry-<round>` (BullMQ keeps a failed job's id taken), the Message-ID stays the row's.
 * - the admin list pages newest first (created_at, id); failed mail has a partial index of its own,
 *   which holds failed mail only. No index names `status`: every mail's "sent" mark writes a new entry
 *   in each index that holds the row (the rows are packed too tightly for HOT updates), so one on
 *   status would cost every mail twice (bench/README.md, "Outgoing mail admin").
 * Rows left pending after the 12 attempts the queue made before this change are failed now.
 */
export class OutboundMessageFailures1764005630000 implements MigrationInterface {
  name = 'OutboundMessageFailures1764005630000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check CHECK (status IN ('pending', 'sent', 'failed'))`);
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN failed_at timestamptz, ADD COLUMN send_round integer NOT NULL DEFAULT 0`);
    await q.query(`UPDATE outbound_messages SET status = 'failed', failed_at = now() WHERE status = 'pending' AND attempts >= 12`);
    await q.query(`CREATE INDEX outbound_messages_created_idx ON outbound_messages (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX outbound_messages_failed_idx ON outbound_messages (created_at DESC, id DESC) WHERE failed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_messages_failed_idx`);
    await q.query(`DROP INDEX outbound_messages_created_idx`);
    await q.query(`UPDATE outbound_messages SET status = 'pending' WHERE status = 'failed'`);
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN send_round, DROP COLUMN failed_at`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check CHECK (status IN ('pending', 'sent'))`);
  }
}
