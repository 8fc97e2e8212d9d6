import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '@helpdesk/queue';
import { bearer, createCustomer, createPlan, startTestApi, startTestWorker, TestApi, testStack } from '../support';
import { escalate, eventually, LOCAL_RECEIVER_ENV, NO_CONTRACT, putEntitlements, Receiver, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';

describe("escalation delivery keeps to each tier's maxPerMinute", () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let receiver: Receiver;
  let queue: Queue;
  let customerId: string;

  beforeAll(async () => {
    receiver = await new Receiver(SECRET).start();
    api = await startTestApi({ env: LOCAL_RECEIVER_ENV });
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...LOCAL_RECEIVER_ENV });
    queue = new Queue('escalation.commercial', { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: api.queuePrefix });
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
  });
  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await api?.close();
    await receiver?.stop();
  });

  it('delivers up to the limit in a minute, holds the rest in the queue, and releases them when the limit allows', async () => {
    const put = await api.http
      .put('/api/v1/escalation-tiers/commercial')
      .set(bearer(api.adminToken))
      .send({ delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, secret: SECRET, maxPerMinute: 2 });
    expect(put.status).toBe(200);
    // The limit counts per clock minute: start early in one so the three deliveries share it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));

    const tickets = await Promise.all([0, 1, 2].map(() => workedTicket(api, customerId, { category: 'billing', priority: 'P3' })));
    const ids: string[] = [];
    for (const t of tickets) ids.push((await escalate(api, t)).body.id);
    const statuses = async () => (await api.dataSource.query(`SELECT status FROM escalations ORDER BY number`)).map((r: { status: string }) => r.status).sort();

    await eventually(statuses, (s) => s.join() === 'queued,submitted,submitted');
    // The third is held until the next minute, delayed in the queue (not failed, no attempt used).
    const held = ids.find((id) => receiver.for(id).length === 0)!;
    expect(held).toBeDefined();
    await eventually(async () => (await queue.getJob(held))?.getState(), (state) => state === 'delayed');
    const job = (await queue.getJob(held))!;
    expect(job.attemptsMade).toBe(0);
    // When it is due, from the delayed set's score (ms × 0x1000 + a counter); job.timestamp + job.delay
    // is not it: the delay counts from the move to delayed, the timestamp is when the job was added.
    const redisForScore = new Redis(redisOptionsFromUrl(testStack().redisUrl));
    const score = await redisForScore.zscore(queue.toKey('delayed'), held).finally(() => redisForScore.disconnect());
    const dueAt = Math.floor(Number(score) / 0x1000);
    expect(dueAt).toBeGreaterThan(Date.now());
    expect(new Date(dueAt).getUTCSeconds()).toBeLessThan(2); // the start of the next minute
    expect(receiver.requests).toHaveLength(2);

    // It is delivered when its delay is over; promote it rather than wait for the next minute.
    await api.http
      .put('/api/v1/escalation-tiers/commercial')
      .set(bearer(api.adminToken))
      .send({ delivery: 'webhook', webhookUrl: `${receiver.url}/commercial`, maxPerMinute: 1000 });
    const redis = new Redis(redisOptionsFromUrl(testStack().redisUrl));
    try {
      for (const key of await redis.keys(`${api.queuePrefix}:escalation-rate:*`)) await redis.del(key);
    } finally {
      redis.disconnect();
    }
    await job.promote();
    const released = Date.now();
    await eventually(statuses, (s) => s.join() === 'submitted,submitted,submitted');
    expect(receiver.for(held)).toHaveLength(1);
    expect(Date.now() - released).toBeLessThan(30_000);
  }, 90_000);
});
