import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningRedis, startLocalRedis } from '../../libs/devstack/src/local-redis';
import { redisOptionsFromUrl } from '@helpdesk/queue';
import { bearer, createCustomer, createPlan, startTestApi, startTestWorker, TestApi, ticketBody } from '../support';

/** Polls a condition (a database or queue state) until it holds or the deadline passes. */
async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('loss-free hand-off to the triage queue (transactional outbox)', () => {
  let dir: string;
  let redis: RunningRedis;
  let api: TestApi;
  let customer: { id: string; token: string };
  const workers: INestApplicationContext[] = [];

  const outboxSize = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox`))[0].n as number;
  const triageQueue = () => new Queue('triage', { connection: redisOptionsFromUrl(redis.url) as never, prefix: api.queuePrefix });
  const workerEnv = () => ({ DATABASE_URL: api.database.url, REDIS_URL: redis.url, QUEUE_PREFIX: api.queuePrefix });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-outbox-'));
    redis = await startLocalRedis({ dataDir: dir, durable: false });
    api = await startTestApi({ redisUrl: redis.url });
    customer = await createCustomer(api, (await createPlan(api)).id);
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await api.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every accepted ticket when no worker runs (a crash between commit and enqueue), and relays each exactly once later, even with two relays', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: `before worker ${i}` }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect(await outboxSize()).toBe(30);

    // Two workers start at once: their relays compete for the same rows.
    workers.push(...(await Promise.all([startTestWorker(workerEnv()), startTestWorker(workerEnv())])));
    await eventually(outboxSize, (n) => n === 0);

    const queue = triageQueue();
    try {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(30);
      for (const id of ids) {
        const job = await queue.getJob(id);
        expect(job?.data).toEqual({ ticketId: id });
      }
    } finally {
      await queue.close();
    }
  });

  it('keeps accepting tickets while Redis is down and queues them when it is back', async () => {
    // The outage this test is about hits accepted tickets, not jobs in flight: this Redis keeps no
    // data across the restart, and a BullMQ worker whose active job vanished with it never finishes
    // closing. Let the first test's triage jobs finish first.
    const before = triageQueue();
    try {
      await eventually(() => before.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), (c) => Object.values(c).every((n) => n === 0), 30_000);
    } finally {
      await before.close();
    }
    const port = redis.port;
    await redis.stop();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: `during outage ${i}` }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // Nothing can be relayed: the rows wait (the relay keeps retrying).
    expect(await outboxSize()).toBe(10);
    expect((await api.http.get('/health/ready')).status).toBe(503);

    redis = await startLocalRedis({ dataDir: dir, port, durable: false });
    await eventually(outboxSize, (n) => n === 0, 30_000);
    const queue = triageQueue();
    try {
      for (const id of ids) expect((await queue.getJob(id))?.data).toEqual({ ticketId: id });
    } finally {
      await queue.close();
    }
    const stored = await api.dataSource.query(`SELECT count(*)::int AS n FROM tickets WHERE subject LIKE 'during outage %'`);
    expect(stored[0].n).toBe(10);
  });
});
