import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCustomer, createPlan, startTestApi, TestApi, testStack } from '../support';
import { contract, escalate, eventually, LOCAL_RECEIVER_ENV, putEntitlements, putWebhookTier, Receiver, workedTicket } from './support';

/** A vendor's key (the bytes of 'vendor-shared-secret-0123456789') in the whsec_ form. */
const SECRET = 'whsec_dmVuZG9yLXNoYXJlZC1zZWNyZXQtMDEyMzQ1Njc4OQ==';
const WORKER_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');

/**
 * The built worker as a real child process (run `npm run build` first), so it can be killed with
 * SIGKILL in the middle of a delivery or stopped with SIGTERM.
 */
describe('escalation delivery survives a worker killed mid-delivery (exactly one submitted)', () => {
  let api: TestApi;
  let receiver: Receiver;
  let customerId: string;
  const children: ChildProcess[] = [];

  async function startWorker(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
    const child = spawn(process.execPath, [WORKER_MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: api.database.url,
        REDIS_URL: testStack().redisUrl,
        QUEUE_PREFIX: api.queuePrefix,
        WORKER_PORT: '0',
        MIGRATIONS_RUN: 'false',
        ESCALATION_LOCK_MS: '1000',
        ESCALATION_BACKOFF_MS: '50',
        ...LOCAL_RECEIVER_ENV,
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${stderr}`)), 30_000);
      child.on('message', (m: { type?: string }) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code}: ${stderr}`));
      });
    });
    child.removeAllListeners('exit');
    return child;
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  const stop = async (child: ChildProcess, signal: NodeJS.Signals) => {
    const done = exited(child);
    child.kill(signal);
    return done;
  };
  const escalationRow = async (id: string) =>
    (await api.dataSource.query(`SELECT status, vendor_case_id FROM escalations WHERE id = $1`, [id]))[0] as { status: string; vendor_case_id: string | null };
  const submittedEvents = async (ticketId: string) =>
    (await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = 'escalation_submitted'`, [ticketId]))[0].n as number;

  beforeAll(async () => {
    if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` before the e2e tests`);
    receiver = await new Receiver(SECRET).start();
    api = await startTestApi({ env: LOCAL_RECEIVER_ENV });
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'gold', contract(10), contract(10));
    await putWebhookTier(api, 'commercial', receiver, SECRET, { timeoutMs: 60_000 });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) await stop(child, 'SIGKILL');
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
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM escalation_attempts WHERE escalation_id = $1 AND http_status = 200`, [id]);
      expect(n).toBe(1);
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
