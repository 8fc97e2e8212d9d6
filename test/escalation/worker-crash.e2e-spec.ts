import { AppProcess, killAppProcesses } from '../support/app-processes';
import { TestApi } from '../support';
import { commercialWebhookStack, escalate, eventually, Receiver, startDeliveryWorker, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';

/**
 * The built worker as a real child process (run `npm run build` first), so it can be killed with
 * SIGKILL in the middle of a delivery or stopped with SIGTERM.
 */
describe('escalation delivery survives a worker killed mid-delivery (exactly one submitted)', () => {
  let api: TestApi;
  let receiver: Receiver;
  let customerId: string;

  const startWorker = (env: Record<string, string> = {}) => startDeliveryWorker(api, env);
  const stop = (worker: AppProcess, signal: NodeJS.Signals) => worker.stop(signal);
  const escalationRow = async (id: string) =>
    (await api.dataSource.query(`SELECT status, vendor_case_id FROM escalations WHERE id = $1`, [id]))[0] as { status: string; vendor_case_id: string | null };
  const attempts = (id: string) =>
    api.dataSource.query(`SELECT delivery_id, state, http_status, duration_ms FROM escalation_attempts WHERE escalation_id = $1 ORDER BY id`, [id]);
  const submittedEvents = async (ticketId: string) =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = 'escalation_submitted'`, [ticketId]))[0].n as number;

  beforeAll(async () => {
    ({ api, receiver, customerId } = await commercialWebhookStack(SECRET));
  });
  afterAll(async () => {
    await killAppProcesses();
    await api?.close();
    await receiver?.stop();
  });

  it.each([
    ['while the vendor has not answered', 'hang' as const],
    ['after the vendor accepted but before the answer was read and recorded', 'accept-then-hang' as const],
  ])('SIGKILL %s: another worker delivers again with the same Idempotency-Key and submits once', async (_label, reply) => {
    receiver.plan(reply, { status: 200, body: { caseId: 'CASE-AFTER-CRASH' } });
    const first = await startWorker();
    const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P2' });
    const res = await escalate(api, ticketId);
    expect(res.status).toBe(202);
    const id = res.body.id as string;

    await eventually(async () => receiver.for(id).length, (n) => n === 1);
    expect(await stop(first, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await escalationRow(id)).status).toBe('queued');
    // The attempt the vendor got is in the history, though its outcome never was recorded.
    expect(await attempts(id)).toEqual([{ delivery_id: receiver.for(id)[0].headers['x-helpdesk-delivery'], state: 'in_flight', http_status: null, duration_ms: null }]);

    const second = await startWorker();
    try {
      const row = await eventually(() => escalationRow(id), (r) => r.status === 'submitted', 30_000);
      expect(row.vendor_case_id).toBe('CASE-AFTER-CRASH');
      const requests = receiver.for(id);
      expect(requests).toHaveLength(2);
      expect(requests.map((r) => r.headers['idempotency-key'])).toEqual([id, id]);
      expect(requests[0].headers['x-helpdesk-delivery']).not.toBe(requests[1].headers['x-helpdesk-delivery']);
      expect(requests.every((r) => r.validSignature)).toBe(true);
      expect(await submittedEvents(ticketId)).toBe(1);
      // One attempt per request the vendor saw: the one the kill cut short, then the one recorded.
      expect(await attempts(id)).toEqual([
        { delivery_id: requests[0].headers['x-helpdesk-delivery'], state: 'cut_short', http_status: null, duration_ms: null },
        { delivery_id: requests[1].headers['x-helpdesk-delivery'], state: 'finished', http_status: 200, duration_ms: expect.any(Number) },
      ]);
    } finally {
      expect(await stop(second, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    }
  }, 90_000);

  it('SIGTERM lets an in-flight delivery finish before the worker exits', async () => {
    receiver.plan({ status: 200, body: { caseId: 'SLOW-1' }, delayMs: 1500 });
    const worker = await startWorker();
    const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    const res = await escalate(api, ticketId);
    const id = res.body.id as string;
    await eventually(async () => receiver.for(id).length, (n) => n === 1);
    const exit = await stop(worker, 'SIGTERM');
    // Nest closes the app on SIGTERM, then re-raises the signal to exit.
    expect([exit, receiver.for(id).length]).toEqual([{ code: null, signal: 'SIGTERM' }, 1]);
    // Recorded by the worker that was shutting down, not by a later one.
    expect(await escalationRow(id)).toEqual({ status: 'submitted', vendor_case_id: 'SLOW-1' });
    expect(receiver.for(id)).toHaveLength(1);
    expect(await submittedEvents(ticketId)).toBe(1);
  }, 60_000);
  it('SIGTERM with a delivery still hanging at SHUTDOWN_TIMEOUT_MS: the worker exits with code 1, the next worker submits once', async () => {
    receiver.plan('hang', { status: 200, body: { caseId: 'CASE-AFTER-DEADLINE' } });
    const stuck = await startWorker({ SHUTDOWN_TIMEOUT_MS: '1500' });
    const ticketId = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    const res = await escalate(api, ticketId);
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    await eventually(async () => receiver.for(id).length, (n) => n === 1);

    // The vendor never answers and the tier's timeout is 60 s: only the deadline ends the close.
    const signalledAt = Date.now();
    expect(await stop(stuck, 'SIGTERM')).toEqual({ code: 1, signal: null });
    const took = Date.now() - signalledAt;
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(20_000);
    expect((await escalationRow(id)).status).toBe('queued');

    const next = await startWorker();
    try {
      const row = await eventually(() => escalationRow(id), (r) => r.status === 'submitted', 30_000);
      expect(row.vendor_case_id).toBe('CASE-AFTER-DEADLINE');
      expect(receiver.for(id).map((r) => r.headers['idempotency-key'])).toEqual([id, id]);
      expect(await submittedEvents(ticketId)).toBe(1);
    } finally {
      expect(await stop(next, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    }
  }, 90_000);
});
