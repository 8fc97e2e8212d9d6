import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The published support offering and the customer portal (#15):
 * - support_plans (intake): the scope per locale, the contact points with their hours, and the price
 *   in integer minor units (the decimal `amount` of existing plans is converted with the currency's
 *   ISO 4217 exponent);
 * - tickets (intake): `channel_not_in_plan`, set when a ticket arrives by a channel its customer's
 *   plan does not include (recorded, and flagged to the agent);
 * - console_sessions (auth): a session may belong to a customer contact signed in by a mailed link
 *   instead of a token (it goes with the contact);
 * - portal_sign_in_links (channels): the mailed single-use links, only the SHA-256 of each kept;
 * - outbound_messages (channels): a sign-in link is a mail of no ticket (as a billing notice is).
 */
export class SupportOfferingPortal1764004800000 implements MigrationInterface {
  name = 'SupportOfferingPortal1764004800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE support_plans ADD COLUMN scope jsonb, ADD COLUMN contact_points jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      UPDATE support_plans
         SET price = jsonb_build_object(
               'amountMinor', round((price->>'amount')::numeric * power(10, CASE
                 WHEN price->>'currency' IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 0
                 WHEN price->>'currency' IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 3
                 ELSE 2 END))::bigint,
               'currency', price->>'currency',
               'period', price->>'period')
       WHERE price ? 'amount'`);

    await q.query(`ALTER TABLE tickets ADD COLUMN channel_not_in_plan boolean NOT NULL DEFAULT false`);

    await q.query(`ALTER TABLE console_sessions ALTER COLUMN token_id DROP NOT NULL`);
    await q.query(`ALTER TABLE console_sessions ADD COLUMN customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
                                                ADD COLUMN contact_id uuid REFERENCES customer_contacts (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE console_sessions ADD CONSTRAINT console_sessions_holder CHECK ((token_id IS NOT NULL AND contact_id IS NULL AND customer_id IS NULL) OR (token_id IS NULL AND contact_id IS NOT NULL AND customer_id IS NOT NULL))`);
    await q.query(`CREATE INDEX console_sessions_contact_idx ON console_sessions (contact_id) WHERE contact_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE portal_sign_in_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES customer_contacts (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX portal_sign_in_links_expires_idx ON portal_sign_in_links (expires_at)`);

    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check, DROP CONSTRAINT outbound_messages_ticket_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN ('ticket_received', 'public_reply', 'billing_notice', 'sign_in_link'))`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_ticket_check CHECK (ticket_id IS NOT NULL OR kind IN ('billing_notice', 'sign_in_link'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbound_messages WHERE kind = 'sign_in_link'`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check, DROP CONSTRAINT outbound_messages_ticket_check`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check CHECK (kind IN ('ticket_received', 'public_reply', 'billing_notice'))`);
    await q.query(`ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_ticket_check CHECK (ticket_id IS NOT NULL OR kind = 'billing_notice')`);
    await q.query(`DROP TABLE portal_sign_in_links`);
    await q.query(`DELETE FROM console_sessions WHERE token_id IS NULL`);
    await q.query(`ALTER TABLE console_sessions DROP CONSTRAINT console_sessions_holder, DROP COLUMN contact_id, DROP COLUMN customer_id`);
    await q.query(`ALTER TABLE console_sessions ALTER COLUMN token_id SET NOT NULL`);
    await q.query(`ALTER TABLE tickets DROP COLUMN channel_not_in_plan`);
    await q.query(`
      UPDATE support_plans
         SET price = jsonb_build_object('amount', to_char((price->>'amountMinor')::numeric / 100, 'FM9999999990.00'), 'currency', price->>'currency', 'period', price->>'period')
       WHERE price ? 'amountMinor'`);
    await q.query(`ALTER TABLE support_plans DROP COLUMN contact_points, DROP COLUMN scope`);
  }
}
