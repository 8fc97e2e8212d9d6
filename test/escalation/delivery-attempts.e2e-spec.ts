import { INestApplicationContext } from '@nestjs/common';
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
});
