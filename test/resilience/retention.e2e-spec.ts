/**
 * Retention in PostgreSQL: the worker's scheduled pruning (a built worker process, PRUNE_EVERY_MS
 * of one second, batches of ten) removes idempotency keys, bulk requests, delivery attempts and vendor callback
 * delivery ids past their retention, in batches, and nothing younger — a repeat inside the
 * idempotency window still returns the original ticket.
 */
import { Queue } from 'bullmq';
import { QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { contract, escalate, putEntitlements, workedTicket } from '../escalation/support';
import { bearer, createCustomer, createPlan, eventually, startTestApi, TestApi, testStack, ticketBody } from '../support';
import { killAppProcesses, startWorkerProcess } from '../support/app-processes';

const OLD = 25;
const FRESH = 5;

describe('retention: old idempotency keys, bulk requests, delivery attempts and callback delivery ids are pruned in batches', () => {
  let api: TestApi;
  let customerId: string;

  beforeAll(async () => {
    api = await startTestApi();
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
  });
  afterAll(async () => {
    await killAppProcesses();
    await api?.close();
  });

  const post = (key: string, n: number) =>
    api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).set('Idempotency-Key', key).send(ticketBody(customerId, { subject: `Retention ${n}` }));
  const count = async (sql: string) => ((await api.dataSource.query(sql))[0] as { n: number }).n;
  /** The completed runs of a housekeeping queue, newest first (their results). */
  const runs = async (name: QueueName) => {
    const queue = new Queue(name, { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: api.queuePrefix });
    try {
      return (await queue.getCompleted(0, 99)).map((j) => ({ task: (j.data as { task: string }).task, result: j.returnvalue as Record<string, unknown> }));
    } finally {
      await queue.close();
    }
  };

  it('prunes what is past its retention, keeps the rest, and honours a key inside the window', async () => {
    const tickets = new Map<string, string>();
    for (let n = 1; n <= OLD + FRESH; n++) {
      const res = await post(`retention-${n}`, n);
      expect(res.status).toBe(201);
      tickets.set(`retention-${n}`, res.body.id as string);
    }
    // An escalation to hang delivery history on (a manual tier: no webhook, no attempts of its own).
    await putEntitlements(api, 'gold', contract(10), contract(10));
    expect((await api.http.put('/api/v1/escalation-tiers/commercial').set(bearer(api.adminToken)).send({ delivery: 'manual' })).status).toBe(200);
    const escalation = await escalate(api, await workedTicket(api, customerId, { category: 'billing', priority: 'P3' }));
    expect(escalation.status).toBe(202);

    // Ages set in one statement per table (what time would have done): 25 past the retention
    // (24 hours, 90 days, 30 days by default), 5 just inside it.
    await api.dataSource.query(
      `UPDATE idempotency_keys SET created_at = now() - CASE WHEN split_part(key, '-', 2)::int <= $1 THEN interval '25 hours' ELSE interval '23 hours' END
        WHERE key LIKE 'retention-%'`,
      [OLD],
    );
    await api.dataSource.query(
      `WITH attempts AS (
         INSERT INTO escalation_attempts (escalation_id, delivery_id, at, http_status, error, duration_ms)
         SELECT $1, gen_random_uuid(), now() - CASE WHEN n <= $2::int THEN interval '91 days' ELSE interval '89 days' END, 500, 'HTTP 500', 20
           FROM generate_series(1, $2::int + $3::int) AS n ORDER BY n
       )
       INSERT INTO escalation_callback_deliveries (webhook_id, tier, escalation_id, received_at)
       SELECT 'callback-' || n, 'commercial', $1, now() - CASE WHEN n <= $2::int THEN interval '31 days' ELSE interval '29 days' END
         FROM generate_series(1, $2::int + $3::int) AS n`,
      [escalation.body.id, OLD, FRESH],
    );

    // Bulk requests (POST /tickets/bulk records, keyed or not): 25 past the 24 hours, 5 inside.
    await api.dataSource.query(
      `INSERT INTO ticket_bulk_requests (caller, key, request_hash, change, results, created_at)
       SELECT 'staff:retention', CASE WHEN n % 2 = 0 THEN 'bulk-' || n END, repeat('a', 64), '{"status":"closed"}', '[]',
              now() - CASE WHEN n <= $1::int THEN interval '25 hours' ELSE interval '23 hours' END
         FROM generate_series(1, $1::int + $2::int) AS n`,
      [OLD, FRESH],
    );
    const bulkOfRetention = `SELECT count(*)::int AS n FROM ticket_bulk_requests WHERE caller = 'staff:retention'`;

    await startWorkerProcess(api, { PRUNE_EVERY_MS: '1000', PRUNE_BATCH_SIZE: '10' });
    await eventually(
      async () => [
        await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key LIKE 'retention-%'`),
        await count(`SELECT count(*)::int AS n FROM escalation_attempts`),
        await count(`SELECT count(*)::int AS n FROM escalation_callback_deliveries`),
        await count(bulkOfRetention),
      ],
      (left) => left.every((n) => n === FRESH),
      60_000,
      'only the rows inside their retention left',
    );
    // The young ones are the ones kept.
    expect(await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE created_at > now() - interval '24 hours'`)).toBe(FRESH);
    expect(await count(`SELECT count(*)::int AS n FROM escalation_attempts WHERE at > now() - interval '90 days'`)).toBe(FRESH);
    expect(await count(`SELECT count(*)::int AS n FROM escalation_callback_deliveries WHERE received_at > now() - interval '30 days'`)).toBe(FRESH);
    expect(await count(`${bulkOfRetention} AND created_at > now() - interval '24 hours'`)).toBe(FRESH);

    // Each in batches of ten, each batch its own statement: 10 + 10 + 5 rows of each table.
    expect((await runs(QueueName.IntakeHousekeeping)).map((r) => r.result)).toContainEqual({ skipped: false, deleted: OLD, bulkRequests: OLD, batches: 6 });
    expect((await runs(QueueName.EscalationHousekeeping)).filter((r) => r.task === 'prune-delivery-history').map((r) => r.result)).toContainEqual({
      skipped: false,
      attempts: OLD,
      callbackDeliveries: OLD,
      batches: 6,
    });

    // Inside the window a repeat is the original ticket; past it the key is forgotten.
    const inside = await post(`retention-${OLD + 1}`, OLD + 1);
    expect([inside.status, inside.body.id]).toEqual([200, tickets.get(`retention-${OLD + 1}`)]);
    const past = await post('retention-1', 1);
    expect(past.status).toBe(201);
    expect(past.body.id).not.toBe(tickets.get('retention-1'));
    const view = await api.http.get(`/api/v1/escalations/${escalation.body.id}`).set(bearer(api.adminToken));
    expect(view.body.attempts).toHaveLength(FRESH);
  }, 180_000);
});
