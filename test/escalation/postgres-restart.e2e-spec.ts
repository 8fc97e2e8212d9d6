import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisOptionsFromUrl } from '@helpdesk/queue';
import { createCustomer, createPlan, startTestApi, startTestWorker, TestApi, testStack } from '../support';
import { PostgresProcess, startPostgresProcess } from './postgres-process';
import { escalate, eventually, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, putWebhookTier, Receiver, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';
const ESCALATIONS = 8;
/** Deliveries whose answer is slow: the vendor answers them while PostgreSQL is down. */
const IN_FLIGHT = 4;

/**
 * A PostgreSQL of its own (the shared test server cannot be restarted under the other files),
 * stopped (fast shutdown) while deliveries are in flight and started again on the same port and
 * data. Needs `npm run build` (the server runs in a child process from dist/).
 */
describe('escalations being delivered while PostgreSQL restarts are submitted exactly once after recovery', () => {
  let dir: string;
  let postgres: PostgresProcess;
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiver: Receiver;
  let queue: Queue;
  let customerId: string;
  const database = 'helpdesk_pg_restart';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-escalation-pg-'));
    postgres = await startPostgresProcess({ dataDir: join(dir, 'postgres'), database });
    receiver = await new Receiver(SECRET).start();
    const queuePrefix = `pgrestart_${randomBytes(4).toString('hex')}`;
    // The API migrates the fresh database on start.
    api = await startTestApi({ database: { name: database, url: postgres.url }, env: { QUEUE_PREFIX: queuePrefix, MIGRATIONS_RUN: 'true', ...LOCAL_RECEIVER_ENV } });
    worker = await startTestWorker({ DATABASE_URL: postgres.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: queuePrefix, ESCALATION_BACKOFF_MS: '50', ...LOCAL_RECEIVER_ENV });
    queue = new Queue('escalation.commercial', { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: queuePrefix });
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
    await putWebhookTier(api, 'commercial', receiver, SECRET, { timeoutMs: 10_000 });
  }, 120_000);
  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await api?.close({ keepDatabase: true });
    await postgres?.stop();
    await receiver?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every escalation queued through the outage (no delivery attempt used up), then submits each once', async () => {
    const tickets: string[] = [];
    for (let i = 0; i < ESCALATIONS; i++) tickets.push(await workedTicket(api, customerId, { category: 'billing', priority: 'P2' }));
    // The first deliveries are answered slowly: PostgreSQL goes away while they are on the wire.
    receiver.plan(...Array.from({ length: IN_FLIGHT }, (_, i) => ({ status: 200, body: { caseId: `SLOW-${i}` }, delayMs: 1500 })));

    const ids: string[] = [];
    for (const t of tickets) {
      const res = await escalate(api, t);
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    await eventually(async () => receiver.requests.length, (n) => n >= IN_FLIGHT);

    const port = postgres.port;
    await postgres.stop();
    // The vendor answers the slow deliveries while the database is down: their outcome cannot be
    // written, and the jobs wait (delayed) instead of failing.
    await eventually(async () => receiver.answered, (n) => n >= IN_FLIGHT, 20_000);
    await eventually(() => queue.getDelayedCount(), (n) => n > 0, 20_000);

    postgres = await startPostgresProcess({ dataDir: join(dir, 'postgres'), database, port });

    const rows: Array<{ id: string; status: string; vendor_case_id: string | null }> = await eventually(
      () => api.dataSource.query(`SELECT id, status, vendor_case_id FROM escalations WHERE id = ANY($1::uuid[])`, [ids]),
      (r: Array<{ status: string }>) => r.length === ESCALATIONS && r.every((e) => e.status === 'submitted'),
      60_000,
    );
    expect(rows.every((r) => r.vendor_case_id !== null)).toBe(true);

    const events: Array<{ id: string; n: number }> = await api.dataSource.query(
      `SELECT e.id, count(ev.*)::int AS n FROM escalations e
         LEFT JOIN ticket_events ev ON ev.ticket_id = e.ticket_id AND ev.type = 'escalation_submitted'
        WHERE e.id = ANY($1::uuid[]) GROUP BY e.id`,
      [ids],
    );
    expect(events.map((e) => e.n)).toEqual(Array(ESCALATIONS).fill(1));

    // A repeat is allowed, always with the same Idempotency-Key and a valid signature.
    for (const id of ids) {
      const requests = receiver.for(id);
      expect(requests.length).toBeGreaterThanOrEqual(1);
      expect(requests.every((r) => r.headers['idempotency-key'] === id && r.validSignature)).toBe(true);
    }

    // The outage was not recorded as failed deliveries, and no job used an attempt on it (BullMQ
    // counts the successful one; waiting for the database moves the job back without counting).
    // A slow delivery whose answer could not be written stays in the history as cut short (the
    // vendor did receive it), never as a failure.
    const attempts: Array<{ state: string; failed: number; n: number }> = await api.dataSource.query(
      `SELECT state, count(*) FILTER (WHERE http_status IS NOT NULL AND error IS NOT NULL)::int AS failed, count(*)::int AS n
         FROM escalation_attempts WHERE escalation_id = ANY($1::uuid[]) GROUP BY state ORDER BY state`,
      [ids],
    );
    expect(attempts.every((a) => a.failed === 0 && ['finished', 'cut_short'].includes(a.state))).toBe(true);
    expect(attempts.find((a) => a.state === 'finished')?.n).toBe(ESCALATIONS);
    // One attempt row for every request the vendor received, no more, no fewer.
    expect(attempts.reduce((sum, a) => sum + a.n, 0)).toBe(ids.flatMap((id) => receiver.for(id)).length);
    for (const id of ids) {
      const job = (await queue.getJob(id))!;
      expect([id, await job.getState(), job.attemptsMade]).toEqual([id, 'completed', 1]);
    }
  }, 120_000);
});
