import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'ticket_received', 'public_reply', 'billing_notice', 'sign_in_link', 'waiting_on_customer', 'resolved', 'sla_breach', 'contract_hours_low'`;

/**
 * E-mail out (channels): the customer notifications' wording an admin edits, one row per kind and
 * locale that replaces the built-in one (deleting the row resets it); and three more staff mails —
 * a ticket assigned to you, an SLA target at risk, an escalation whose delivery failed for good.
 */
export class NotificationTemplates1764005200000 implements MigrationInterface {
  name = 'NotificationTemplates1764005200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_templates (
        kind text NOT NULL CHECK (kind IN ('ticket_received', 'public_reply', 'waiting_on_customer', 'resolved', 'billing_notice')),
        locale text NOT NULL CHECK (locale IN ('es', 'en')),
        subject text NOT NULL CHECK (subject !~ '[\\x01-\\x1f\\x7f]' AND char_length(subject) <= 200),
        body text NOT NULL,
        updated_by uuid REFERENCES agents(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, locale)
      )`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN (${KINDS_BEFORE}, 'assigned', 'sla_warning', 'escalation_failed'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbound_messages WHERE kind IN ('assigned', 'sla_warning', 'escalation_failed')`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN (${KINDS_BEFORE}))`);
    await q.query(`DROP TABLE notification_templates`);
  }
}
