import { MigrationInterface, QueryRunner } from 'typeorm';

const OUTBOUND_KINDS = `'ticket_received', 'public_reply', 'billing_notice', 'sign_in_link', 'waiting_on_customer', 'resolved', 'sla_breach', 'contract_hours_low', 'assigned', 'sla_warning', 'escalation_failed'`;
const TEMPLATE_KINDS = `'ticket_received', 'public_reply', 'waiting_on_customer', 'resolved', 'billing_notice'`;

/**
 * Billing: dunning never skips the warning, and the customer hears of a suspension and of its end.
 * - `dunning_actions.applied_on`: the partner date (the run's "today" in the version's time zone)
 *   a step was applied — a suspension waits for the policy's notice period after the date the
 *   final notice actually went out. Rows from before keep NULL and count as applied on their due date.
 * - `dunning_actions.outcome`: `superseded` records a warning step a run found already past a
 *   later warning of the same invoice (a late import, a pause, a dispute ending): only the latest
 *   warning due goes out; the earlier one is recorded, so it never goes out later.
 * - `billing_notices` of kind `suspension` (written with the collections suspension) and
 *   `restoration` (written when it ends), naming the suspension and the products it held.
 * - channels: the two mails (`suspension_notice`, `restoration_notice`) and their editable templates.
 */
export class DunningCatchUpNotices1764005570000 implements MigrationInterface {
  name = 'DunningCatchUpNotices1764005570000';

  async up(q: QueryRunner): Promise<void> {
    // A nullable column and a constant default: catalogue-only changes, no table rewrite.
    await q.query(`ALTER TABLE dunning_actions ADD COLUMN applied_on date`);
    await q.query(`ALTER TABLE dunning_actions ADD COLUMN outcome text NOT NULL DEFAULT 'applied' CHECK (outcome IN ('applied', 'superseded'))`);
    await q.query(`ALTER TABLE billing_notices DROP CONSTRAINT billing_notices_kind_check`);
    await q.query(`ALTER TABLE billing_notices ADD CONSTRAINT billing_notices_kind_check CHECK (kind IN ('remind', 'final_notice', 'suspension', 'restoration'))`);
    await q.query(`ALTER TABLE billing_notices ADD COLUMN suspension_id uuid, ADD COLUMN products text[]`);
    await q.query(`CREATE INDEX billing_notices_suspension_idx ON billing_notices (suspension_id) WHERE suspension_id IS NOT NULL`);
    await q.query(`ALTER TABLE notification_templates DROP CONSTRAINT notification_templates_kind_check`);
    await q.query(`ALTER TABLE notification_templates ADD CONSTRAINT notification_templates_kind_check CHECK (kind IN (${TEMPLATE_KINDS}, 'suspension_notice', 'restoration_notice'))`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN (${OUTBOUND_KINDS}, 'suspension_notice', 'restoration_notice'))`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_ticket_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_ticket_check CHECK (ticket_id IS NOT NULL OR kind IN ('billing_notice', 'sign_in_link', 'suspension_notice', 'restoration_notice'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbound_messages WHERE kind IN ('suspension_notice', 'restoration_notice')`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_ticket_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_ticket_check CHECK (ticket_id IS NOT NULL OR kind IN ('billing_notice', 'sign_in_link'))`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN (${OUTBOUND_KINDS}))`);
    await q.query(`DELETE FROM notification_templates WHERE kind IN ('suspension_notice', 'restoration_notice')`);
    await q.query(`ALTER TABLE notification_templates DROP CONSTRAINT notification_templates_kind_check`);
    await q.query(`ALTER TABLE notification_templates ADD CONSTRAINT notification_templates_kind_check CHECK (kind IN (${TEMPLATE_KINDS}))`);
    await q.query(`DROP INDEX billing_notices_suspension_idx`);
    await q.query(`ALTER TABLE billing_notices DROP COLUMN suspension_id, DROP COLUMN products`);
    await q.query(`DELETE FROM billing_notices WHERE kind IN ('suspension', 'restoration')`);
    await q.query(`ALTER TABLE billing_notices DROP CONSTRAINT billing_notices_kind_check`);
    await q.query(`ALTER TABLE billing_notices ADD CONSTRAINT billing_notices_kind_check CHECK (kind IN ('remind', 'final_notice'))`);
    await q.query(`DELETE FROM dunning_actions WHERE outcome = 'superseded'`);
    await q.query(`ALTER TABLE dunning_actions DROP COLUMN outcome, DROP COLUMN applied_on`);
  }
}
