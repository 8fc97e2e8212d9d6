import { INestApplicationContext } from '@nestjs/common';
import { EscalationAttemptsFinishInPlace1764005960000 } from '../../libs/database/src/migrations/1764005960000-EscalationAttemptsFinishInPlace';
import { bearer, createCustomer, createPlan, startTestApi, startTestWorker, TestApi, testStack } from '../support';
import { escalate, eventually, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, putWebhookTier, Receiver, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';
/** More than the default 8: the configured count must be reached, not cut at the default. */
const ATTEMPTS = 10;

describe('escalation delivery makes ESCALATION_ATTEMPTS attempts, also above the default', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiver: Receiver;
  let customerId: string;

  beforeAll(async () => {
    receiver = await new Receiver(SECRET).start();
    api = await startTestApi({ env: LOCAL_RECEIVER_ENV });
    worker = await startTestWorker({
      DATABASE_URL: api.database.url,
      REDIS_URL: testStack().redisUrl,
      QUEUE_PREFIX: api.queuePrefix,
      ESCALATION_BACKOFF_MS: '1',
      ESCALATION_ATTEMPTS: String(ATTEMPTS),
      ...LOCAL_RECEIVER_ENV,
    });
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
    await putWebhookTier(api, 'commercial', receiver, SECRET, { timeoutMs: 500 });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver?.stop();
  });

  it('fails only after the configured number of attempts, each one kept', async () => {
    receiver.plan(...Array.from({ length: ATTEMPTS }, () => ({ status: 503 })));
    const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P2' });
    const res = await escalate(api, ticketId);
    expect(res.status).toBe(202);
    const failed = await eventually(
      async () => (await api.http.get(`/api/v1/escalations/${res.body.id}`).set(bearer(api.adminToken))).body,
      (e) => e.status === 'failed',
    );
    expect(failed.attempts).toHaveLength(ATTEMPTS);
    expect(receiver.for(res.body.id)).toHaveLength(ATTEMPTS);
    const events = (await api.http.get(`/api/v1/tickets/${ticketId}/events`).set(bearer(api.adminToken))).body as Array<{ type: string; data: Record<string, unknown> }>;
    expect(events.filter((e) => e.type === 'escalation_failed').map((e) => e.data.attempts)).toEqual([ATTEMPTS]);
  });

  it("an attempt's finish stays on its page (a HOT update, no index entry) even where its begin filled pages; the migration reverts cleanly", async () => {
    receiver.plan({ status: 200 });
    const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    const res = await escalate(api, ticketId);
    expect(res.status).toBe(202);
    await eventually(
      async () => (await api.http.get(`/api/v1/escalations/${res.body.id}`).set(bearer(api.adminToken))).body,
      (e) => e.status === 'submitted',
    );
    const runner = api.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
      /** Begins `n` attempts together (pages' worth, as a batch of deliveries does), finishes each once; how many finished in place. */
      const finishedInPlace = async (n: number): Promise<number> => {
        const begun: Array<{ id: string }> = await runner.query(
          `INSERT INTO escalation_attempts (escalation_id, delivery_id, at, state) SELECT $1, gen_random_uuid(), now(), 'in_flight' FROM generate_series(1, $2::int) RETURNING id`,
          [res.body.id, n],
        );
        const ids = begun.map((b) => b.id);
        await runner.query(`UPDATE escalation_attempts SET state = 'finished', http_status = 200, duration_ms = 3 WHERE id = ANY($1::bigint[])`, [ids]);
        // The new version of a HOT update is a heap-only tuple (HEAP_ONLY_TUPLE, 0x8000 in t_infomask2).
        const [{ hot, found }] = await runner.query(
          `SELECT count(*) FILTER (WHERE h.t_infomask2 & 32768 <> 0)::int AS hot, count(*)::int AS found
             FROM escalation_attempts a,
                  LATERAL heap_page_items(get_raw_page('escalation_attempts', (a.ctid::text::point)[0]::int)) h
            WHERE a.id = ANY($1::bigint[]) AND h.lp = (a.ctid::text::point)[1]::int`,
          [ids],
        );
        expect(found).toBe(n);
        return hot;
      };
      const options = async (): Promise<string[]> => (await runner.query(`SELECT coalesce(reloptions, '{}') AS o FROM pg_class WHERE relname = 'escalation_attempts'`))[0].o;
      expect(await options()).toEqual(['fillfactor=50']);
      // Pages half filled: nearly every finish stays in place (a finished row is a few bytes longer,
      // and in one transaction no old version can be pruned, so a page's last one or two may not fit).
      expect(await finishedInPlace(400)).toBeGreaterThanOrEqual(360);
      const migration = new EscalationAttemptsFinishInPlace1764005960000();
      await migration.down(runner);
      expect(await options()).toEqual([]);
      // Pages filled to the brim, as before: nearly none does.
      expect(await finishedInPlace(400)).toBeLessThan(40);
      await migration.up(runner);
      expect(await options()).toEqual(['fillfactor=50']);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
