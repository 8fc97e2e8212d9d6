import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { bearer, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';
import { AppProcess, startWorkerProcess } from '../support/app-processes';

/**
 * The environment of an api or worker whose webhooks go to a Receiver: it listens on 127.0.0.1,
 * which is refused unless private targets are allowed.
 */
export const LOCAL_RECEIVER_ENV = { WEBHOOK_ALLOW_PRIVATE: 'true' } as const;

/**
 * What the receiver does with one request: answer with a status (and body, optionally after a
 * delay), never answer, or accept (200 and half a body) and then never finish the answer.
 */
export type Reply = { status: number; body?: unknown; delayMs?: number } | 'hang' | 'accept-then-hang';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  /** Verified as a vendor would: the standardwebhooks package's Webhook.verify with `secret`. */
  validSignature: boolean;
  at: number;
}

/**
 * A real vendor endpoint on a random port: answers from a script (fail N times, hang, …), then
 * 200 `{caseId}`; records every request and whether it was signed with `secret` (whsec_…).
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private script: Reply[] = [];
  /** Replies for one escalation's requests, before the shared script. */
  private scripts = new Map<string, Reply[]>();
  private server!: Server;
  url = '';
  caseCounter = 0;
  /** Answers sent in full (a hang or a half answer is not counted). */
  answered = 0;

  constructor(readonly secret: string) {}

  /** Listens on `host` (127.0.0.1, or ::1 for IPv6). */
  async start(host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          // recorded as is
        }
        this.requests.push({
          path: req.url ?? '',
          headers: req.headers,
          raw,
          body,
          validSignature: signedWith(this.secret, raw, req.headers),
          at: Date.now(),
        });
        const own = this.scripts.get(String(body.escalationId));
        const reply = own?.shift() ?? this.script.shift() ?? { status: 200, body: { caseId: `CASE-${++this.caseCounter}` } };
        if (reply === 'hang') return; // never answers; the client times out
        if (reply === 'accept-then-hang') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"caseId":');
          return;
        }
        setTimeout(() => {
          res.writeHead(reply.status, { 'Content-Type': 'application/json' });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
          this.answered++;
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((done) => this.server.listen(0, host, done));
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next replies, in order; afterwards every request succeeds. */
  plan(...replies: Reply[]): void {
    this.script = [...replies];
  }

  /** The next replies to one escalation's requests (whatever order the requests of others come in). */
  respondTo(escalationId: string, ...replies: Reply[]): void {
    this.scripts.set(escalationId, [...replies]);
  }

  for(escalationId: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.body.escalationId === escalationId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

/** Whether a request verifies under `secret` with the off-the-shelf Standard Webhooks library. */
export function signedWith(secret: string, raw: string, headers: IncomingHttpHeaders): boolean {
  try {
    new Webhook(secret).verify(raw, headers as Record<string, string>, { jsonParse: false });
    return true;
  } catch {
    return false;
  }
}

/** Polls a condition (a database state) until it holds or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Contract {
  active: boolean;
  hoursRemaining: number;
  hoursPurchased?: number;
  expiresOn?: string | null;
}

export const NO_CONTRACT: Contract = { active: false, hoursRemaining: 0, expiresOn: null };
export const contract = (hoursRemaining: number, extra: Partial<Contract> = {}): Contract => ({ active: true, hoursRemaining, expiresOn: '2099-12-31', ...extra });

export async function putEntitlements(api: TestApi, competency: 'gold' | 'silver' | 'none', premier: Contract, advanced: Contract) {
  const res = await api.http.put('/api/v1/entitlements').set(bearer(api.adminToken)).send({ competency, premier, advanced });
  if (res.status !== 200) throw new Error(`entitlements: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Points a tier at the receiver as a signed webhook (global_admin); throws unless the PUT is a 200. */
export async function putWebhookTier(api: TestApi, tier: string, receiver: Receiver, secret: string, settings: { timeoutMs?: number; maxPerMinute?: number } = {}) {
  const res = await api.http
    .put(`/api/v1/escalation-tiers/${tier}`)
    .set(bearer(api.adminToken))
    .send({ delivery: 'webhook', webhookUrl: `${receiver.url}/${tier}`, secret, ...settings });
  if (res.status !== 200) throw new Error(`tier ${tier}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A ticket in `in_progress` (or the given status) with the category and priority set by an agent. */
export async function workedTicket(
  api: TestApi,
  customerId: string,
  fields: { category: string; priority: string; status?: 'triaged' | 'in_progress' | 'waiting_on_customer' },
): Promise<string> {
  const created = await api.http.post('/api/v1/tickets').set(bearer(api.adminToken)).send(ticketBody(customerId, { category: fields.category }));
  if (created.status !== 201) throw new Error(`ticket: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const patch = async (body: Record<string, unknown>) => {
    const res = await api.http.patch(`/api/v1/tickets/${id}`).set(bearer(api.adminToken)).send(body);
    if (res.status !== 200) throw new Error(`ticket patch ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await patch({ status: 'triaged' });
  const target = fields.status ?? 'in_progress';
  await patch({ category: fields.category, priority: fields.priority, ...(target === 'triaged' ? {} : { status: 'in_progress' }) });
  if (target === 'waiting_on_customer') await patch({ status: 'waiting_on_customer' });
  return id;
}

export async function escalate(api: TestApi, ticketId: string, body: Record<string, unknown> = { reason: 'Needs the vendor' }, token = api.adminToken) {
  return api.http.post(`/api/v1/tickets/${ticketId}/escalations`).set(bearer(token)).send(body);
}

/**
 * A test API with a customer, a gold competency and Premier and Advanced contracts, and the
 * commercial tier pointed at a new receiver as a signed webhook (the vendor may take a minute to
 * answer: only a kill ends a hanging delivery).
 */
export async function commercialWebhookStack(secret: string): Promise<{ api: TestApi; receiver: Receiver; customerId: string }> {
  const receiver = await new Receiver(secret).start();
  const api = await startTestApi({ env: LOCAL_RECEIVER_ENV });
  const customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
  await putEntitlements(api, 'gold', contract(10), contract(10));
  await putWebhookTier(api, 'commercial', receiver, secret, { timeoutMs: 60_000 });
  return { api, receiver, customerId };
}

/**
 * The built worker as a child process delivering `api`'s escalations: a killed worker's job is
 * taken over within about two seconds (1 s job locks), failed attempts retried 50 ms apart.
 */
export function startDeliveryWorker(api: TestApi, env: Record<string, string> = {}): Promise<AppProcess> {
  return startWorkerProcess(api, { ESCALATION_LOCK_MS: '1000', ESCALATION_BACKOFF_MS: '50', ...LOCAL_RECEIVER_ENV, ...env });
}
