import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail out (channels): customers also hear that their ticket waits on them or is resolved, and a
 * queue's managers that a ticket breached its resolution target, every manager that a vendor
 * contract's hours run low.
 */
export class NotificationKinds1764005100000 implements MigrationInterface {
  name = 'NotificationKinds1764005100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN ('ticket_received', 'public_reply', 'billing_notice', 'sign_in_link', 'waiting_on_customer', 'resolved', 'sla_breach', 'contract_hours_low'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbound_messages WHERE kind IN ('waiting_on_customer', 'resolved', 'sla_breach', 'contract_hours_low')`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN ('ticket_received', 'public_reply', 'billing_notice', 'sign_in_link'))`);
  }
}
