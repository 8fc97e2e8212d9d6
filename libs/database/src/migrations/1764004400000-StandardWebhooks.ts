import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vendor webhooks move to the Standard Webhooks specification, with one secret per direction per
 * tier: `secret` signs what we send, `callback_secret` verifies what the vendor sends; each keeps
 * the secret it replaced (`previous_*`) until `previous_*_until`, the overlap of a rotation.
 *
 * The secrets stored so far were HMAC keys used as UTF-8 text. They become the same key bytes in
 * the `whsec_<base64>` form, so a vendor verifies our deliveries with the key it already holds.
 * No callback secret is made up: that key verified callbacks too (our own signed bodies passed the
 * inbound check), so callbacks of a tier are refused until an admin sets its `callbackSecret`.
 *
 * Seen callback ids (`webhook-id`) are unique per tier and keep the signed time.
 */
export class StandardWebhooks1764004400000 implements MigrationInterface {
  name = 'StandardWebhooks1764004400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE escalation_tiers
        ADD COLUMN previous_secret text,
        ADD COLUMN previous_secret_until timestamptz,
        ADD COLUMN callback_secret text,
        ADD COLUMN previous_callback_secret text,
        ADD COLUMN previous_callback_secret_until timestamptz,
        ADD CONSTRAINT escalation_tiers_previous_secret_check CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL)),
        ADD CONSTRAINT escalation_tiers_previous_callback_secret_check CHECK ((previous_callback_secret IS NULL) = (previous_callback_secret_until IS NULL))`);
    // encode(…, 'base64') breaks lines every 76 characters: the secret is one line.
    await q.query(`UPDATE escalation_tiers SET secret = 'whsec_' || translate(encode(convert_to(secret, 'UTF8'), 'base64'), E'\\n', '') WHERE secret IS NOT NULL`);

    await q.query(`ALTER TABLE escalation_callback_deliveries RENAME COLUMN delivery_id TO webhook_id`);
    await q.query(`ALTER TABLE escalation_callback_deliveries ADD COLUMN webhook_timestamp timestamptz`);
    await q.query(`ALTER TABLE escalation_callback_deliveries DROP CONSTRAINT escalation_callback_deliveries_pkey, ADD PRIMARY KEY (tier, webhook_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE escalation_callback_deliveries DROP CONSTRAINT escalation_callback_deliveries_pkey, ADD PRIMARY KEY (webhook_id)`);
    await q.query(`ALTER TABLE escalation_callback_deliveries DROP COLUMN webhook_timestamp`);
    await q.query(`ALTER TABLE escalation_callback_deliveries RENAME COLUMN webhook_id TO delivery_id`);
    // Secrets stay in the whsec_ form (a generated key is not text): PUT each tier's secret again after going back.
    await q.query(`
      ALTER TABLE escalation_tiers
        DROP COLUMN previous_secret,
        DROP COLUMN previous_secret_until,
        DROP COLUMN callback_secret,
        DROP COLUMN previous_callback_secret,
        DROP COLUMN previous_callback_secret_until`);
  }
}
