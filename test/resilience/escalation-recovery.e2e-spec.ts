/**
 * Escalation deliveries whose BullMQ job ends outside the delivery processor — stalled too often
 * (its workers SIGKILLed mid-delivery), failed while no worker recorded it, removed from the queue,
 * lost with Redis data — leave the escalation in a state the API acts on, and each is delivered or
 * recorded once. Built worker processes (run `npm run build` first), real PostgreSQL and Redis.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { CUT_SHORT_ERROR } from '@helpdesk/escalation';
import { JOB_NAME, LiveEvent, liveEventsChannel, QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { commercialWebhookStack, escalate, Receiver, startDeliveryWorker, workedTicket } from '../escalation/support';
import { bearer, eventually, TestApi, testStack } from '../support';
import { AppProcess, killAppProcesses } from '../support/app-processes';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';
const QUEUE = QueueName.EscalationCommercial;

interface AttemptView {
  deliveryId: string;
  state: string;
  round: number;
  httpStatus: number | null;
  error: string | null;
  durationMs: number | null;
}

describe('escalation deliveries that end outside the delivery worker are never stuck', () => {
  let api: TestApi;
  let receiver: Receiver;
  let customerId: string;
  let queue: Queue;
  let subscriber: Redis;
  const live: LiveEvent[] = [];
  const connection = () => redisOptionsFromUrl(testStack().redisUrl) as never;

  // Every worker of a deployment has the same schedule; so do these (a job scheduler is one per queue).
  const startWorker = (env: Record<string, string> = {}): Promise<AppProcess> => startDeliveryWorker(api, { ESCALATION_RECONCILE_MS: '1000', ...env });
  const view = async (id: string) => (await api.http.get(`/api/v1/escalations/${id}`).set(bearer(api.adminToken))).body;
  const events = async (ticketId: string, type: string) =>
    (await api.dataSource.query(`SELECT data FROM ticket_events WHERE ticket_id = $1 AND type = $2 ORDER BY seq`, [ticketId, type])).map((r: { data: unknown }) => r.data);
  const newEscalation = async (): Promise<{ id: string; ticketId: string }> => {
    const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P2' });
    const res = await escalate(api, ticketId);
    expect(res.status).toBe(202);
    return { id: res.body.id as string, ticketId };
  };
  const attemptsOf = (v: { attempts: AttemptView[] }) => v.attempts.map(({ deliveryId, state, round, httpStatus, error, durationMs }) => ({ deliveryId, state, round, httpStatus, error, durationMs }));

  beforeAll(async () => {
    ({ api, receiver, customerId } = await commercialWebhookStack(SECRET));
    queue = new Queue(QUEUE, { connection: connection(), prefix: api.queuePrefix });
    subscriber = new Redis(redisOptionsFromUrl(testStack().redisUrl));
    subscriber.on('message', (_channel, message: string) => live.push(JSON.parse(message) as LiveEvent));
    await subscriber.subscribe(liveEventsChannel(api.queuePrefix));
  });
  afterAll(async () => {
    await killAppProcesses();
    await queue?.close();
    subscriber?.disconnect();
    await api?.close();
    await receiver?.stop();
  });

  it('a delivery cut off twice (two workers SIGKILLed while the vendor answers) is marked failed with both attempts, and the API retry delivers it once', async () => {
    receiver.plan('hang', 'hang');
    const first = await startWorker();
    const { id, ticketId } = await newEscalation();
    await eventually(async () => receiver.for(id).length, (n) => n === 1, 30_000, 'the first delivery');
    await first.stop('SIGKILL');

    const second = await startWorker();
    await eventually(async () => receiver.for(id).length, (n) => n === 2, 60_000, 'the delivery again, by the second worker');
    await second.stop('SIGKILL');
    expect((await view(id)).status).toBe('queued');

    // BullMQ fails the job it saw stall twice; the worker that does so records it (or, had it died
    // first, the reconciler would: the next test).
    const third = await startWorker();
    const failed = await eventually(() => view(id), (v) => v.status === 'failed', 60_000, 'the escalation marked failed');
    expect(failed.lastError).toBe('the delivery ended without an outcome: job stalled more than allowable limit');
    const sent = receiver.for(id);
    expect(sent).toHaveLength(2);
    // The history holds what the vendor saw: both requests, each cut short by a kill.
    expect(attemptsOf(failed)).toEqual(
      sent.map((r) => ({ deliveryId: r.headers['x-helpdesk-delivery'], state: 'cut_short', round: 0, httpStatus: null, error: CUT_SHORT_ERROR, durationMs: null })),
    );
    expect(await events(ticketId, 'escalation_failed')).toEqual([{ escalationId: id, tier: 'commercial', attempts: 2, error: failed.lastError }]);
    const announced = await eventually(
      async () => live.filter((e) => e.type === 'escalation.failed' && (e.data as { escalationId: string }).escalationId === id),
      (found) => found.length > 0,
      10_000,
      'the live escalation.failed event',
    );
    expect(announced.map((e) => e.data)).toEqual([{ escalationId: id, ticketId, tier: 'commercial', attempts: 2, error: failed.lastError }]);

    const retried = await api.http.post(`/api/v1/escalations/${id}/retry`).set(bearer(api.adminToken));
    expect(retried.status).toBe(202);
    const submitted = await eventually(() => view(id), (v) => v.status === 'submitted', 60_000, 'submitted after the retry');
    const all = receiver.for(id);
    expect(all.map((r) => r.headers['idempotency-key'])).toEqual([id, id, id]);
    expect(new Set(all.map((r) => r.headers['x-helpdesk-delivery'])).size).toBe(3);
    expect(attemptsOf(submitted)).toEqual([
      ...attemptsOf(failed),
      { deliveryId: all[2].headers['x-helpdesk-delivery'], state: 'finished', round: 1, httpStatus: 200, error: null, durationMs: expect.any(Number) },
    ]);
    expect((await events(ticketId, 'escalation_submitted')).length).toBe(1);
    expect((await events(ticketId, 'escalation_failed')).length).toBe(1);
    expect(await third.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
  }, 240_000);

  it('a job BullMQ failed while no worker recorded it is found by the reconciler and marked failed once', async () => {
    // No worker runs: the hand-off waits in the outbox. What a worker killed right after failing the
    // job leaves behind is made here: the job, failed in Redis, while PostgreSQL says queued.
    const { id, ticketId } = await newEscalation();
    await queue.add(JOB_NAME[QUEUE], { escalationId: id }, { jobId: id, attempts: 8 });
    const failer = new Worker(QUEUE, null, { connection: connection(), prefix: api.queuePrefix, autorun: false });
    const job = await failer.getNextJob('test-token');
    expect(job?.id).toBe(id);
    await job!.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'test-token');
    await failer.close();
    expect(await queue.getJobState(id)).toBe('failed');

    // Two workers, so that two reconcilers look at it.
    const workers = [await startWorker(), await startWorker()];
    const failed = await eventually(() => view(id), (v) => v.status === 'failed', 60_000, 'marked failed by the reconciler');
    expect(failed.lastError).toBe('the delivery ended without an outcome: job stalled more than allowable limit');
    expect(failed.attempts).toEqual([]);
    expect(receiver.for(id)).toEqual([]);
    await eventually(
      async () => live.filter((e) => e.type === 'escalation.failed' && (e.data as { escalationId: string }).escalationId === id).length,
      (n) => n === 1,
      10_000,
      'the live escalation.failed event',
    );
    await waitForReconcileRuns(2);
    expect(await events(ticketId, 'escalation_failed')).toEqual([{ escalationId: id, tier: 'commercial', attempts: 0, error: failed.lastError }]);
    for (const worker of workers) await worker.stop('SIGTERM');
  }, 180_000);

  it('a job still waiting (its queue paused) is left alone by the reconciler, and delivered once when the queue runs again', async () => {
    const worker = await startWorker();
    await queue.pause();
    try {
      const { id, ticketId } = await newEscalation();
      await eventually(() => queue.getJobState(id), (state) => state === 'waiting', 10_000, 'the job waiting in the paused queue');
      // Unchanged for longer than ESCALATION_RECONCILE_MS (1 s): every run from now on looks its job up.
      await eventually(
        async () => ((await api.dataSource.query(`SELECT updated_at < now() - interval '1 second' AS old FROM escalations WHERE id = $1`, [id])) as Array<{ old: boolean }>)[0].old,
        (old) => old,
        10_000,
        'the escalation unchanged for over a second',
      );
      await waitForReconcileRuns(2);
      expect(await events(ticketId, 'escalation_requeued')).toEqual([]);
      expect((await view(id)).status).toBe('queued');
      expect(receiver.for(id)).toEqual([]);

      await queue.resume();
      await eventually(() => view(id), (v) => v.status === 'submitted', 30_000, 'delivered once the queue runs');
      expect(receiver.for(id)).toHaveLength(1);
      expect((await events(ticketId, 'escalation_submitted')).length).toBe(1);
      expect(await events(ticketId, 'escalation_requeued')).toEqual([]);
      expect(await queue.getJobState(`${id}-retry-1`)).toBe('unknown');
    } finally {
      await queue.resume();
      await worker.stop('SIGTERM');
    }
  }, 120_000);

  describe('a job gone from Redis is enqueued again, once, and delivered', () => {
    let workers: AppProcess[];

    beforeAll(async () => {
      // A failed attempt waits ten minutes for its retry: only a re-enqueue delivers it sooner.
      const env = { ESCALATION_BACKOFF_MS: '600000' };
      workers = [await startWorker(env), await startWorker(env)];
    });
    afterAll(async () => {
      for (const worker of workers ?? []) await worker.stop('SIGTERM');
    });

    it.each([
      ['removed from the queue (as the queue board’s Remove does)', (id: string) => queue.remove(id).then(() => undefined)],
      [
        'lost with the queue’s Redis data',
        async () => {
          const redis = new Redis(redisOptionsFromUrl(testStack().redisUrl));
          const keys = await redis.keys(`${api.queuePrefix}:${QUEUE}:*`);
          if (keys.length > 0) await redis.del(...keys);
          redis.disconnect();
        },
      ],
    ])('%s', async (_label, lose: (id: string) => Promise<void>) => {
      receiver.plan({ status: 500, body: { error: 'vendor busy' } });
      const { id, ticketId } = await newEscalation();
      await eventually(() => view(id), (v) => v.attempts?.length === 1 && v.attempts[0].state === 'finished', 30_000, 'the first, failed attempt');
      await eventually(() => queue.getJobState(id), (state) => state === 'delayed', 10_000, 'the job waiting for its retry');
      // The reconciler leaves a job that waits for its retry alone.
      await waitForReconcileRuns(2);
      expect(await events(ticketId, 'escalation_requeued')).toEqual([]);

      await lose(id);
      const submitted = await eventually(() => view(id), (v) => v.status === 'submitted', 60_000, 'delivered again and submitted');
      const sent = receiver.for(id);
      expect(sent.map((r) => r.headers['idempotency-key'])).toEqual([id, id]);
      expect(attemptsOf(submitted)).toEqual([
        { deliveryId: sent[0].headers['x-helpdesk-delivery'], state: 'finished', round: 0, httpStatus: 500, error: 'HTTP 500 Internal Server Error', durationMs: expect.any(Number) },
        { deliveryId: sent[1].headers['x-helpdesk-delivery'], state: 'finished', round: 1, httpStatus: 200, error: null, durationMs: expect.any(Number) },
      ]);
      await waitForReconcileRuns(2);
      expect(await events(ticketId, 'escalation_requeued')).toEqual([{ escalationId: id, tier: 'commercial', round: 1, reason: 'its delivery job was gone from Redis' }]);
      expect((await events(ticketId, 'escalation_submitted')).length).toBe(1);
      expect(await queue.getJobState(`${id}-retry-1`)).toBe('completed');
      expect(receiver.for(id)).toHaveLength(2);
    }, 120_000);
  });

  /** Waits until `n` more reconciler runs have completed after now (by any worker). */
  async function waitForReconcileRuns(n: number): Promise<void> {
    const housekeeping = new Queue(QueueName.EscalationHousekeeping, { connection: connection(), prefix: api.queuePrefix });
    const since = Date.now();
    try {
      await eventually(
        async () => (await housekeeping.getCompleted(0, 99)).filter((j) => j.data.task === 'reconcile-deliveries' && (j.processedOn ?? 0) >= since && j.returnvalue?.skipped === false).length,
        (runs) => runs >= n,
        30_000,
        `${n} reconciler runs`,
      );
    } catch (e) {
      const jobs = await housekeeping.getJobs(['completed', 'failed', 'active', 'delayed', 'waiting'], 0, 20);
      throw new Error(`${(e as Error).message}: ${JSON.stringify(jobs.map((j) => ({ id: j.id, data: j.data, p: j.processedOn, f: j.finishedOn, r: j.returnvalue, fr: j.failedReason, since })))}`);
    } finally {
      await housekeeping.close();
    }
  }
});
