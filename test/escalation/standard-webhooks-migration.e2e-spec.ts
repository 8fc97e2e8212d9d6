import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signWebhook } from '@helpdesk/webhooks';
import { StandardWebhooks1764004400000 } from '../../libs/database/src/migrations/1764004400000-StandardWebhooks';
import { bearer, startTestApi, TestApi } from '../support';

/**
 * The upgrade of tiers configured before Standard Webhooks: the migration is taken back and
 * applied again over rows written the old way (a text secret that signed and verified both ways).
 */
describe('migration to Standard Webhooks keeps vendors verifying with the key they hold', () => {
  let api: TestApi;
  const LEGACY = 'vendor-shared-secret-0123456789';
  // Long enough for PostgreSQL's base64 to break lines (76 characters).
  const LONG_LEGACY = 'ü-legacy-secret-'.repeat(8);

  beforeAll(async () => {
    api = await startTestApi();
    const runner = api.dataSource.createQueryRunner();
    try {
      const migration = new StandardWebhooks1764004400000();
      await migration.down(runner);
      await runner.query(`INSERT INTO escalation_tiers (tier, delivery, webhook_url, secret) VALUES ('commercial', 'webhook', 'https://vendor.example/cases', $1), ('premier', 'webhook', 'https://premier.example/cases', $2), ('advanced', 'manual', NULL, NULL)`, [LEGACY, LONG_LEGACY]);
      await runner.query(`INSERT INTO escalation_callback_deliveries (delivery_id, tier) VALUES ('old-delivery-1', 'commercial')`);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('stores each old secret as the same key bytes in the whsec_ form, on one line', async () => {
    const rows: Array<{ tier: string; secret: string | null }> = await api.dataSource.query(`SELECT tier, secret FROM escalation_tiers ORDER BY tier`);
    expect(rows).toEqual([
      { tier: 'advanced', secret: null },
      { tier: 'commercial', secret: `whsec_${Buffer.from(LEGACY).toString('base64')}` },
      { tier: 'premier', secret: `whsec_${Buffer.from(LONG_LEGACY).toString('base64')}` },
    ]);
    // A vendor holding the old text key verifies our new signatures with it (raw key format), and
    // the signature is the HMAC-SHA256 under those very bytes.
    const commercial = rows[1].secret!;
    const at = new Date();
    const id = randomUUID();
    const body = '{"escalationId":"x"}';
    const signature = new Webhook(commercial).sign(id, at, body);
    expect(signature).toBe(new Webhook(LEGACY, { format: 'raw' }).sign(id, at, body));
    expect(signature).toBe(`v1,${createHmac('sha256', LEGACY).update(`${id}.${Math.floor(at.getTime() / 1000)}.${body}`).digest('base64')}`);
    expect(new Webhook(rows[2].secret!).sign(id, at, body)).toBe(`v1,${createHmac('sha256', Buffer.from(LONG_LEGACY)).update(`${id}.${Math.floor(at.getTime() / 1000)}.${body}`).digest('base64')}`);
  });

  it('makes up no callback secret: callbacks are refused until an admin sets one', async () => {
    const tiers = (await api.http.get('/api/v1/escalation-tiers').set(bearer(api.adminToken))).body;
    expect(tiers.map((t: { tier: string; hasSecret: boolean; hasCallbackSecret: boolean }) => [t.tier, t.hasSecret, t.hasCallbackSecret])).toEqual([
      ['commercial', true, false],
      ['premier', true, false],
      ['advanced', false, false],
      ['signature_cloud', false, false],
    ]);
    const raw = JSON.stringify({ escalationId: randomUUID(), status: 'acknowledged' });
    // Signed with the only key the tier had (it used to verify callbacks too): no longer believed.
    const legacyKey = `whsec_${Buffer.from(LEGACY).toString('base64')}`;
    const callback = await api.http.post('/api/v1/escalations/callbacks/commercial').set('Content-Type', 'application/json').set({ ...signWebhook('m1', raw, [legacyKey]) }).send(raw);
    expect([callback.status, callback.body.detail]).toEqual([401, expect.stringMatching(/commercial tier takes no callbacks: it has no callbackSecret/)]);
  });

  it('keeps the callback ids received before, now per tier', async () => {
    expect(await api.dataSource.query(`SELECT tier, webhook_id, webhook_timestamp FROM escalation_callback_deliveries`)).toEqual([
      { tier: 'commercial', webhook_id: 'old-delivery-1', webhook_timestamp: null },
    ]);
  });
});
