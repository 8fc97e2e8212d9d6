import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail out also carries billing's dunning notices (reminders, final notices) to the customer's
 * billing contact: a notice is about an account, not a ticket, so `ticket_id` is required only of
 * the ticket notifications.
 */
export class BillingNoticeMail1764004650000 implements MigrationInterface {
  name = 'BillingNoticeMail1764004650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages ALTER COLUMN ticket_id DROP NOT NULL`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN ('ticket_received', 'public_reply', 'billing_notice'))`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_ticket_check CHECK (ticket_id IS NOT NULL OR kind = 'billing_notice')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbound_messages WHERE kind = 'billing_notice'`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_ticket_check`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN ('ticket_received', 'public_reply'))`);
    await q.query(`ALTER TABLE outbound_messages ALTER COLUMN ticket_id SET NOT NULL`);
  }
}
