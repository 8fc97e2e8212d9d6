import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { outboxWakeChannel } from '@helpdesk/database';
import { redisOptionsFromUrl } from '@helpdesk/queue';
import { bearer, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack, ticketBody } from '../support';

/**
 * Writers wake the outbox relays over Redis after their commit, so a row is relayed at once; the
 * relays' idle poll (OUTBOX_POLL_MS) stays the safety net for a wake-up that is lost.
 */
describe('outbox relay wake-ups', () => {
  let api: TestApi;
  let customerToken: string;
  let worker: INestApplicationContext | undefined;

  const pending = async (jobId: string) =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1`, [jobId]))[0].n as number;
  const startWorker = (pollMs: number) =>
    startTestWorker({
      DATABASE_URL: api.database.url,
      REDIS_URL: testStack().redisUrl,
      QUEUE_PREFIX: api.queuePrefix,
      OUTBOX_POLL_MS: String(pollMs),
    });
  /**
   * Waits until the relay has moved whatever was there at start and is idle (its next poll is far
   * away), and until its subscription to wake-ups is active (a wake-up published before that is
   * lost, by design: only the poll would move the row).
   */
  const settled = async () => {
    await eventually(async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox`))[0].n as number, (n) => n === 0, 10_000);
    await subscribers(1);
  };
  /** Waits until that many relays are subscribed to this test's wake-up channel. */
  const subscribers = async (expected: number) => {
    const redis = new Redis(redisOptionsFromUrl(testStack().redisUrl));
    try {
      const channel = outboxWakeChannel(api.queuePrefix);
      await eventually(async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]), (n) => n === expected, 10_000);
    } finally {
      redis.disconnect();
    }
  };

  beforeAll(async () => {
    api = await startTestApi();
    customerToken = (await createCustomer(api, (await createPlan(api)).id)).token;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await subscribers(0);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('relays a committed row at once when the writer wakes the relay, though its poll is a minute away', async () => {
    worker = await startWorker(60_000);
    await settled();
    const started = Date.now();
    const res = await api.http.post('/api/v1/tickets').set(bearer(customerToken)).send(ticketBody(undefined, { subject: 'woken relay' }));
    expect(res.status).toBe(201);
    // Only a wake-up can move it before the relay's next poll, 60 s away.
    await eventually(() => pending(res.body.id), (n) => n === 0, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const queue = new Queue('triage', { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: api.queuePrefix });
    try {
      expect((await queue.getJob(res.body.id))?.data).toEqual({ ticketId: res.body.id });
    } finally {
      await queue.close();
    }
  });

  it('wakes on a message on its channel, whoever committed the rows', async () => {
    worker = await startWorker(60_000);
    await settled();
    const publisher = new Redis(redisOptionsFromUrl(testStack().redisUrl));
    try {
      // Rows committed by a writer that woke nobody, then a wake-up by hand; twice (the relay goes back to sleep in between).
      for (let round = 0; round < 2; round++) {
        const jobId = `wake-by-hand-${round}-${Date.now()}`;
        await api.dataSource.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('triage', 'triage', $1, $2)`, [jobId, { ticketId: jobId }]);
        await publisher.publish(outboxWakeChannel(api.queuePrefix), '');
        await eventually(() => pending(jobId), (n) => n === 0, 10_000);
      }
    } finally {
      publisher.disconnect();
    }
  });

  it('still relays a row whose wake-up was lost: the idle poll moves it', async () => {
    worker = await startWorker(200);
    await settled();
    // Written without any wake-up (as when Redis dropped the message or no relay was subscribed).
    const jobId = `never-woken-${Date.now()}`;
    await api.dataSource.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('triage', 'triage', $1, $2)`, [jobId, { ticketId: jobId }]);
    await eventually(() => pending(jobId), (n) => n === 0, 10_000);
  });
});
