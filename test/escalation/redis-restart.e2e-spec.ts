import { INestApplicationContext } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningRedis, startLocalRedis } from '../../libs/devstack/src/local-redis';
import { createCustomer, createPlan, startTestApi, startTestWorker, TestApi } from '../support';
import { escalate, eventually, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, putWebhookTier, Receiver, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';

describe('escalations accepted while Redis is down are delivered once it is back', () => {
  let dir: string;
  let redis: RunningRedis;
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiver: Receiver;
  let customerId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-escalation-redis-'));
    redis = await startLocalRedis({ dataDir: dir, durable: false });
    receiver = await new Receiver(SECRET).start();
    api = await startTestApi({ redisUrl: redis.url, env: LOCAL_RECEIVER_ENV });
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: redis.url, QUEUE_PREFIX: api.queuePrefix, ESCALATION_BACKOFF_MS: '50', ...LOCAL_RECEIVER_ENV });
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
    await putWebhookTier(api, 'commercial', receiver, SECRET, { timeoutMs: 2000 });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await redis?.stop();
    await receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the escalation and its hand-off in PostgreSQL, then submits each exactly once', async () => {
    const tickets = await Promise.all([0, 1, 2].map(() => workedTicket(api, customerId, { category: 'billing', priority: 'P2' })));
    const port = redis.port;
    await redis.stop();

    const ids: string[] = [];
    for (const t of tickets) {
      const res = await escalate(api, t);
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    const waiting = await api.dataSource.query(`SELECT job_id FROM outbox WHERE queue = 'escalation.commercial' ORDER BY id`);
    expect(waiting.map((r: { job_id: string }) => r.job_id)).toEqual(ids);
    expect(receiver.requests).toHaveLength(0);

    redis = await startLocalRedis({ dataDir: dir, port, durable: false });
    const rows = await eventually(
      () => api.dataSource.query(`SELECT id, status FROM escalations WHERE id = ANY($1::uuid[])`, [ids]),
      (r: Array<{ status: string }>) => r.length === 3 && r.every((e) => e.status === 'submitted'),
      45_000,
    );
    expect(rows).toHaveLength(3);
    for (const id of ids) expect(receiver.for(id)).toHaveLength(1);
    const [{ n }] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM ticket_events WHERE type = 'escalation_submitted' AND ticket_id = ANY($1::uuid[])`,
      [tickets],
    );
    expect(n).toBe(3);
  }, 90_000);
});
