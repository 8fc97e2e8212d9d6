import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue, QueueEvents } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Response as SupertestResponse } from 'supertest';
import { BillingClock, DunningDeadlines } from '@helpdesk/billing';
import { QueueName, redisOptionsFromUrl } from '@helpdesk/queue';
import { LOCAL_RECEIVER_ENV } from '../escalation/support';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack } from '../support';

export const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

export interface BillingStack {
  api: TestApi;
  workers: INestApplicationContext[];
  admin: { id: string; token: string };
  sales: { id: string; token: string };
  planId: string;
  /** Puts the api and every worker on the same date and time (null: real time). */
  setClock(at: string | Date | null): void;
  /** The time set with setClock (null: real time). */
  clockAt(): Date | null;
  startWorker(env?: Record<string, string>): Promise<INestApplicationContext>;
  close(): Promise<void>;
}

/** The real api and (unless `workers: 0`) one real worker on a fresh database, with a billing_admin and a sales_agent. */
export async function startBilling(options: { workers?: number; workerEnv?: Record<string, string>; apiEnv?: Record<string, string> } = {}): Promise<BillingStack> {
  const api = await startTestApi({ env: { ...LOCAL_RECEIVER_ENV, ...options.apiEnv } });
  const workers: INestApplicationContext[] = [];
  let clock: Date | null = null;
  const startWorker = async (env: Record<string, string> = {}) => {
    const worker = await startTestWorker({
      DATABASE_URL: api.database.url,
      REDIS_URL: testStack().redisUrl,
      QUEUE_PREFIX: api.queuePrefix,
      ...LOCAL_RECEIVER_ENV,
      BILLING_DELIVERY_BACKOFF_MS: '50',
      BILLING_DELIVERY_ATTEMPTS: '3',
      // Fewer connections to open on a busy machine (a test worker never needs twenty).
      DATABASE_POOL_SIZE: '6',
      ...options.workerEnv,
      ...env,
    });
    worker.get(BillingClock, { strict: false }).set(clock);
    workers.push(worker);
    return worker;
  };
  const closeAll = async () => {
    for (const w of workers) await w.close();
    await api.close();
  };
  let admin: { id: string; token: string };
  let sales: { id: string; token: string };
  let plan: { id: string };
  try {
    for (let i = 0; i < (options.workers ?? 1); i++) await startWorker();
    [admin, sales] = await Promise.all([createAgent(api, ['billing_admin']), createAgent(api, ['sales_agent'])]);
    plan = await createPlan(api);
  } catch (error) {
    // A half-started stack would otherwise keep running (and holding connections) into the next file.
    await closeAll().catch(() => undefined);
    throw error;
  }
  return {
    api,
    workers,
    admin,
    sales,
    planId: plan.id,
    setClock(at) {
      clock = at === null ? null : new Date(at);
      api.app.get(BillingClock, { strict: false }).set(clock);
      for (const w of workers) w.get(BillingClock, { strict: false }).set(clock);
    },
    clockAt: () => (clock === null ? null : new Date(clock)),
    startWorker,
    close: closeAll,
  };
}

/** A response body as supertest types it (JSON of any shape). */
export type Body = SupertestResponse['body'];

export type Call = (method: 'get' | 'put' | 'post' | 'patch' | 'delete', path: string, body?: unknown, token?: string) => Promise<{ status: number; body: Body; headers: Record<string, string> }>;

/** A JSON call as billing_admin (or the given token). */
export function caller(stack: BillingStack): Call {
  return async (method, path, body, token = stack.admin.token) => {
    const req = stack.api.http[method](`/api/v1${path}`).set(bearer(token));
    const res = body === undefined ? await req : await req.send(body as object);
    return { status: res.status, body: res.body, headers: res.headers as Record<string, string> };
  };
}

/** Fails loudly unless the call answered one of `ok`. */
export async function expectStatus<T = Body>(call: Promise<{ status: number; body: T }>, ...ok: number[]): Promise<T> {
  const res = await call;
  if (!ok.includes(res.status)) throw new Error(`expected ${ok.join('/')} but got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export const POLICY = {
  timezone: 'Europe/Madrid',
  steps: [
    { action: 'remind', days: 1 },
    { action: 'final_notice', days: 15 },
    { action: 'suspend', days: 30, products: ['azure', 'microsoft_365'], restoreRequires: 'overdue' },
  ],
  minimumAmounts: [{ currency: 'EUR', amount: '10.00' }],
};

/** A customer with a EUR billing account (locale es unless told) and its customer token. */
export async function billedCustomer(stack: BillingStack, account: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
  const customer = await createCustomer(stack.api, stack.planId);
  await expectStatus(
    caller(stack)('put', `/customers/${customer.id}/billing-account`, {
      currency: 'EUR',
      paymentTermsDays: 30,
      contact: { name: 'Laura Gómez', email: 'facturas@cliente.example' },
      locale: 'es',
      ...account,
    }),
    201,
  );
  return { id: customer.id, token: customer.token };
}

export async function addSubscription(stack: BillingStack, customerId: string, product: string, extra: Record<string, unknown> = {}): Promise<{ id: string; vendorSubscriptionId: string }> {
  return expectStatus(
    caller(stack)('post', `/customers/${customerId}/subscriptions`, {
      product,
      vendorSubscriptionId: randomUUID(),
      tenantId: 'cliente.onmicrosoft.com',
      offerName: `${product} offer`,
      quantity: 10,
      unitPrice: '12.50',
      ...extra,
    }),
    201,
  );
}

let invoiceCounter = 0;
export const invoiceNumber = (prefix = 'INV') => `${prefix}-${randomBytes(3).toString('hex')}-${++invoiceCounter}`;

export async function putInvoice(stack: BillingStack, customerId: string, dueOn: string, amount = '100.00', number = invoiceNumber(), extra: Record<string, unknown> = {}) {
  return expectStatus(
    caller(stack)('put', `/invoices/${number}`, { customerId, issuedOn: dueOn < '2026-01-01' ? dueOn : '2026-01-01', dueOn, currency: 'EUR', lines: [{ description: 'Azure', amount }], ...extra }),
    200,
    201,
  );
}

/** POST /dunning/runs and wait for the worker to complete it; the run's record. */
/**
 * An overdue invoice whose warnings went out on time: it is put on `warnedOn` (default its due date
 * + 15 days, POLICY's final notice — the invoice's deadline check sends the final notice that day),
 * then the clock comes back and the customer's deadline check runs as of now, applying what is due
 * since (a suspension once the notice period after that final notice has passed; `check: false`
 * leaves that to the test's own run). The real path,
 * only earlier: a suspension never comes without its warning (libs/billing/README.md).
 */
export async function putWarnedInvoice(stack: BillingStack, customerId: string, dueOn: string, amount = '100.00', number = invoiceNumber(), options: { warnedOn?: string; extra?: Record<string, unknown>; check?: boolean } = {}) {
  const now = stack.clockAt();
  const warnedOn = options.warnedOn ?? new Date(Date.parse(`${dueOn}T12:00:00Z`) + 15 * 86_400_000).toISOString().slice(0, 10);
  stack.setClock(`${warnedOn}T12:00:00Z`);
  let invoice: Body;
  try {
    invoice = await putInvoice(stack, customerId, dueOn, amount, number, options.extra);
    await settled(stack);
  } finally {
    stack.setClock(now);
  }
  if (options.check !== false) await stack.workers[0].get(DunningDeadlines, { strict: false }).check(customerId);
  return invoice;
}

export async function runDunning(stack: BillingStack, body: Record<string, unknown> = {}) {
  const queued = await expectStatus(caller(stack)('post', '/dunning/runs', body), 202);
  return eventually(
    async () => (await caller(stack)('get', `/dunning/runs/${queued.id}`)).body,
    (run) => run.status === 'completed' || run.status === 'failed',
    30_000,
    `dunning run ${queued.id}`,
  );
}

/** Distinct (invoice, step) records vs all records: they must always be equal. */
export async function dunningActionCounts(stack: BillingStack): Promise<{ rows: number; distinct: number; byAction: Record<string, number> }> {
  const [counts] = await stack.api.dataSource.query(
    `SELECT count(*)::int AS rows, count(DISTINCT (invoice_id, policy_version, step))::int AS distinct FROM dunning_actions`,
  );
  const byAction: Array<{ action: string; n: number }> = await stack.api.dataSource.query(`SELECT action, count(*)::int AS n FROM dunning_actions GROUP BY action`);
  return { ...counts, byAction: Object.fromEntries(byAction.map((r) => [r.action, r.n])) };
}

export function queueOf(stack: BillingStack, name: QueueName): Queue {
  return stack.api.app.get<Queue>(getQueueToken(name), { strict: false });
}

/** Waits until the job `jobId` of `name` has finished (QueueEvents; no polling of sleeps). */
export async function jobFinished(stack: BillingStack, name: QueueName, jobId: string, timeoutMs = 20_000): Promise<unknown> {
  const events = new QueueEvents(name, { connection: redisOptionsFromUrl(testStack().redisUrl) as never, prefix: stack.api.queuePrefix });
  try {
    await events.waitUntilReady();
    const job = await eventually(() => Job.fromId(queueOf(stack, name), jobId), (j) => j !== undefined, timeoutMs, `job ${jobId}`);
    return await job!.waitUntilFinished(events, timeoutMs);
  } finally {
    await events.close();
  }
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { type: string; timestamp: string; data: Body };
  verified: boolean;
  at: number;
}

export type Reply = { status: number; delayMs?: number } | 'hang';

/** Provisioning's endpoint: verifies Standard Webhooks signatures, answers from a script (then 204). */
export class ProvisioningReceiver {
  readonly requests: ReceivedWebhook[] = [];
  private script: Reply[] = [];
  private server!: Server;
  url = '';

  constructor(readonly secret = WEBHOOK_SECRET) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let verified = false;
        try {
          new Webhook(this.secret).verify(raw, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
        this.requests.push({ headers: req.headers, raw, body: JSON.parse(raw), verified, at: Date.now() });
        const reply = this.script.shift() ?? { status: 204 };
        if (reply === 'hang') return;
        setTimeout(() => res.writeHead(reply.status).end(), reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/subscriptions`;
    return this;
  }

  plan(...replies: Reply[]): void {
    this.script = [...replies];
  }

  for(id: string): ReceivedWebhook[] {
    return this.requests.filter((r) => r.headers['webhook-id'] === id);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

export async function useWebhook(stack: BillingStack, receiver: ProvisioningReceiver, timeoutMs = 1000) {
  return expectStatus(caller(stack)('put', '/billing/provisioning', { delivery: 'webhook', webhookUrl: receiver.url, secret: receiver.secret, timeoutMs }), 200);
}

/**
 * Waits until everything the last changes handed off has been done: the outbox is empty and no
 * dunning, deadline or provisioning job is waiting or running (delayed ones are future deadlines).
 */
export async function settled(stack: BillingStack, timeoutMs = 20_000): Promise<void> {
  const queues = [QueueName.BillingDunning, QueueName.BillingDeadlines, QueueName.BillingProvisioning].map((q) => queueOf(stack, q));
  await eventually(
    async () => {
      const [{ n }] = await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
      return n + counts.reduce((sum, c) => sum + c.waiting + c.active + c.prioritized, 0);
    },
    (pending) => pending === 0,
    timeoutMs,
    'billing hand-offs done',
  );
}

/** The customer's billing timeline event types, oldest first. */
export async function timelineTypes(stack: BillingStack, customerId: string): Promise<string[]> {
  const page = await expectStatus(caller(stack)('get', `/customers/${customerId}/billing/timeline?limit=200`), 200);
  return page.items.map((e: { type: string }) => e.type);
}
