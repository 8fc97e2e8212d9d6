import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freePort } from '../../libs/devstack/src/free-port';
import { JOB_NAME, QueueName } from '@helpdesk/queue';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, testStack, ticketBody } from '../support';

/** One sample line of the Prometheus text exposition format 0.0.4. */
const SAMPLE_LINE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*,?\})? (?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|NaN|[-+]Inf)(?: -?\d+)?$/;
const COMMENT_LINE = /^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (?:counter|gauge|histogram|summary|untyped))$/;

interface Exposition {
  types: Map<string, string>;
  helps: Set<string>;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

/** Parses (and validates, line by line) a Prometheus text exposition. */
function parseExposition(text: string): Exposition {
  const exposition: Exposition = { types: new Map(), helps: new Set(), samples: [] };
  const lines = text.split('\n');
  expect(lines.pop()).toBe(''); // ends with a line feed
  for (const line of lines) {
    if (line === '') continue; // blank lines between families are allowed
    if (line.startsWith('#')) {
      if (!COMMENT_LINE.test(line)) throw new Error(`not a HELP/TYPE line: ${line}`);
      const [, kind, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)!;
      if (kind === 'TYPE') exposition.types.set(name, rest);
      else exposition.helps.add(name);
      continue;
    }
    if (!SAMPLE_LINE.test(line)) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const [, name, rawLabels = '', value] = /^([^{ ]+)(?:\{(.*)\})? (\S+)/.exec(line)!;
    const labels: Record<string, string> = {};
    for (const [, key, v] of rawLabels.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = v;
    exposition.samples.push({ name, labels, value: value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value) });
  }
  return exposition;
}

/** The value of the sample `name` whose labels include `labels` (0 when there is none, as for a counter not yet touched). */
function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const matches = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matches.reduce((sum, s) => sum + s.value, 0);
}

function expectDeclared(exposition: Exposition, metrics: Record<string, string>): void {
  for (const [name, type] of Object.entries(metrics)) {
    expect({ name, type: exposition.types.get(name), help: exposition.helps.has(name) }).toEqual({ name, type, help: true });
  }
}

describe('Prometheus metrics of the api and the worker', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let worker: INestApplicationContext | undefined;
  let workerUrl: string;

  const scrapeApi = async () => {
    const res = await api.http.get('/metrics').set(bearer(api.adminToken));
    expect(res.status).toBe(200);
    return parseExposition(res.text);
  };
  const scrapeWorker = async () => {
    const res = await request(workerUrl).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(res.text);
  };
  const postTicket = (subject: string) => api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject }));
  const outboxRows = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM outbox`))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api, { businessHours: [], holidays: [] })).id);
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });

  it('without METRICS_TOKEN, serves the api\'s /metrics to a global_admin or admin_agent token only', async () => {
    const none = await api.http.get('/metrics');
    expect([none.status, none.headers['www-authenticate']]).toEqual([401, 'Bearer realm="metrics"']);
    expect((await api.http.get('/metrics').set(bearer('hds_not_a_token_0123456789'))).status).toBe(401);
    expect((await api.http.get('/metrics').set(bearer(customer.token))).status).toBe(403);
    const agent = await createAgent(api, ['helpdesk_agent']);
    expect((await api.http.get('/metrics').set(bearer(agent.token))).status).toBe(403);
    const adminAgent = await createAgent(api, ['admin_agent']);
    expect((await api.http.get('/metrics').set(bearer(adminAgent.token))).status).toBe(200);
  });

  it('serves /metrics outside /api/v1, as Prometheus text with HELP and TYPE for every helpdesk metric', async () => {
    const res = await api.http.get('/metrics').set(bearer(api.adminToken));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await api.http.get('/api/v1/metrics').set(bearer(api.adminToken))).status).toBe(404);
    const exposition = parseExposition(res.text);
    expectDeclared(exposition, {
      http_request_duration_seconds: 'histogram',
      helpdesk_queue_jobs: 'gauge',
      helpdesk_outbox_pending: 'gauge',
      helpdesk_outbox_lag_seconds: 'gauge',
      helpdesk_sla_breaches: 'gauge',
      helpdesk_escalations: 'gauge',
      helpdesk_escalation_delivery_attempts: 'gauge',
      process_cpu_user_seconds_total: 'counter',
      nodejs_heap_size_used_bytes: 'gauge',
    });
    // Every queue has a depth sample per state.
    for (const queue of ['triage', 'sla-monitor', 'escalation.commercial', 'escalation.premier', 'escalation.advanced', 'escalation.signature_cloud']) {
      expect(exposition.samples.some((s) => s.name === 'helpdesk_queue_jobs' && s.labels.queue === queue && s.labels.state === 'waiting')).toBe(true);
    }
    expect(valueOf(exposition, 'helpdesk_sla_breaches', { target: 'first_response' })).toBe(0);
  });

  it('counts requests by route pattern and status, never by raw URL, and unknown /api/v1 paths as unmatched', async () => {
    const before = await scrapeApi();
    const created = await postTicket('route label');
    expect(created.status).toBe(201);
    await api.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(api.adminToken)).expect(200);
    await api.http.get('/api/v1/tickets/00000000-0000-4000-8000-000000000000').set(bearer(api.adminToken)).expect(404);
    await api.http.get('/api/v1/tickets').expect(401);
    await api.http.get('/api/v1/no/such/route').set(bearer(api.adminToken)).expect(404);
    const after = await scrapeApi();

    const count = (e: Exposition, labels: Record<string, string>) => valueOf(e, 'http_request_duration_seconds_count', labels);
    expect(count(after, { method: 'POST', route: '/api/v1/tickets', status_code: '201' }) - count(before, { method: 'POST', route: '/api/v1/tickets', status_code: '201' })).toBe(1);
    expect(count(after, { method: 'GET', route: '/api/v1/tickets/:id', status_code: '200' }) - count(before, { method: 'GET', route: '/api/v1/tickets/:id', status_code: '200' })).toBe(1);
    expect(count(after, { method: 'GET', route: '/api/v1/tickets/:id', status_code: '404' }) - count(before, { method: 'GET', route: '/api/v1/tickets/:id', status_code: '404' })).toBe(1);
    expect(count(after, { method: 'GET', route: '/api/v1/tickets', status_code: '401' }) - count(before, { method: 'GET', route: '/api/v1/tickets', status_code: '401' })).toBe(1);
    expect(count(after, { method: 'GET', route: 'unmatched', status_code: '404' }) - count(before, { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    // The bucket counts are cumulative and end with +Inf = count.
    const inf = valueOf(after, 'http_request_duration_seconds_bucket', { method: 'POST', route: '/api/v1/tickets', status_code: '201', le: '+Inf' });
    expect(inf).toBe(count(after, { method: 'POST', route: '/api/v1/tickets', status_code: '201' }));
    const routes = new Set(after.samples.filter((s) => s.name === 'http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].filter((r) => r.includes(created.body.id))).toEqual([]);
  });

  it('shows the outbox backlog while no worker relays it, and its draining, queue depths and job outcomes once a worker runs', async () => {
    const pendingBefore = await outboxRows();
    for (let i = 0; i < 3; i++) expect((await postTicket(`backlog ${i}`)).status).toBe(201);
    let api1 = await scrapeApi();
    expect(valueOf(api1, 'helpdesk_outbox_pending')).toBe(pendingBefore + 3);
    expect(valueOf(api1, 'helpdesk_outbox_lag_seconds')).toBeGreaterThan(0);

    const port = await freePort();
    workerUrl = `http://127.0.0.1:${port}`;
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, WORKER_PORT: String(port) });
    const total = pendingBefore + 3;

    api1 = await eventually(scrapeApi, (e) => valueOf(e, 'helpdesk_outbox_pending') === 0 && valueOf(e, 'helpdesk_queue_jobs', { queue: 'triage', state: 'completed' }) >= total, 20_000, 'outbox drained, tickets triaged');
    expect(valueOf(api1, 'helpdesk_outbox_lag_seconds')).toBe(0);

    const w = await eventually(scrapeWorker, (e) => valueOf(e, 'helpdesk_jobs_total', { queue: 'triage', outcome: 'completed' }) >= total, 20_000, 'worker counted the triage jobs');
    expectDeclared(w, { helpdesk_jobs_total: 'counter', helpdesk_job_duration_seconds: 'histogram', process_cpu_user_seconds_total: 'counter' });
    expect(valueOf(w, 'helpdesk_job_duration_seconds_count', { queue: 'triage', outcome: 'completed' })).toBe(valueOf(w, 'helpdesk_jobs_total', { queue: 'triage', outcome: 'completed' }));
    expect(valueOf(w, 'helpdesk_jobs_total', { queue: 'triage', outcome: 'failed' })).toBe(0);

    // One more ticket moves the worker's counter by exactly one.
    const counted = valueOf(w, 'helpdesk_jobs_total', { queue: 'triage', outcome: 'completed' });
    expect((await postTicket('one more')).status).toBe(201);
    await eventually(scrapeWorker, (e) => valueOf(e, 'helpdesk_jobs_total', { queue: 'triage', outcome: 'completed' }) === counted + 1, 20_000, 'one more triage job counted');
    // The escalation tiers' workers (created by a service, not @Processor) are observed too.
    const jobsOf = (e: Exposition, queue: string) => valueOf(e, 'helpdesk_jobs_total', { queue });
    const escalationBefore = jobsOf(await scrapeWorker(), 'escalation.commercial');
    const queue = worker.get<Queue>(getQueueToken(QueueName.EscalationCommercial), { strict: false });
    await queue.add(JOB_NAME[QueueName.EscalationCommercial], { escalationId: randomUUID() }, { attempts: 1 });
    await eventually(scrapeWorker, (e) => jobsOf(e, 'escalation.commercial') === escalationBefore + 1, 20_000, 'escalation job counted');
    // The worker's port keeps its health routes.
    expect((await request(workerUrl).get('/health/live')).status).toBe(200);
    expect((await request(workerUrl).get('/health/ready')).status).toBe(200);
  });

  it('reports SLA breaches, escalations and their delivery attempts from PostgreSQL', async () => {
    const created = await postTicket('breached');
    const status = async () => (await api.dataSource.query(`SELECT status FROM tickets WHERE id = $1`, [created.body.id]))[0].status as string;
    await eventually(status, (s) => s !== 'new', 20_000, 'ticket triaged');
    await api.dataSource.query(`UPDATE tickets SET sla_first_response_breached = true WHERE id = $1`, [created.body.id]);
    const escalationId = randomUUID();
    await api.dataSource.query(
      `INSERT INTO escalations (id, ticket_id, tier, status, trigger, reason, routing, entitlements_snapshot, actor_kind)
       VALUES ($1, $2, 'premier', 'failed', 'manual', 'metrics', '{}', '{}', 'system')`,
      [escalationId, created.body.id],
    );
    await api.dataSource.query(
      `INSERT INTO escalation_attempts (escalation_id, delivery_id, at, http_status, error, duration_ms)
       VALUES ($1, $2, now(), 500, 'HTTP 500', 12), ($1, $3, now(), 200, NULL, 8), ($1, $4, now(), NULL, 'timeout', 10000)`,
      [escalationId, randomUUID(), randomUUID(), randomUUID()],
    );

    const e = await scrapeApi();
    expect(valueOf(e, 'helpdesk_sla_breaches', { target: 'first_response', state: 'open' })).toBe(1);
    expect(valueOf(e, 'helpdesk_sla_breaches', { target: 'first_response', state: 'closed' })).toBe(0);
    expect(valueOf(e, 'helpdesk_sla_breaches', { target: 'resolution' })).toBe(0);
    expect(valueOf(e, 'helpdesk_escalations', { tier: 'premier', status: 'failed' })).toBe(1);
    expect(valueOf(e, 'helpdesk_escalations')).toBe(1);
    expect(valueOf(e, 'helpdesk_escalation_delivery_attempts', { tier: 'premier', outcome: 'failed' })).toBe(2);
    expect(valueOf(e, 'helpdesk_escalation_delivery_attempts', { tier: 'premier', outcome: 'delivered' })).toBe(1);
  });
});

describe('METRICS_TOKEN', () => {
  const token = 'metrics-secret-0123456789abcdef';
  let api: TestApi;
  let worker: INestApplicationContext;
  let workerUrl: string;

  beforeAll(async () => {
    api = await startTestApi({ env: { METRICS_TOKEN: token } });
    const port = await freePort();
    workerUrl = `http://127.0.0.1:${port}`;
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, WORKER_PORT: String(port), METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    delete process.env.METRICS_TOKEN;
  });

  it('makes the api answer 401 without the token (or with another one, or a staff token) and 200 with it', async () => {
    const missing = await api.http.get('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await api.http.get('/metrics').set(bearer('metrics-secret-wrong-0123456789'))).status).toBe(401);
    expect((await api.http.get('/metrics').set(bearer(api.adminToken))).status).toBe(401);
    const ok = await api.http.get('/metrics').set(bearer(token));
    expect(ok.status).toBe(200);
    expect(parseExposition(ok.text).types.get('http_request_duration_seconds')).toBe('histogram');
  });

  it('makes the worker answer 401 without the token and 200 with it', async () => {
    expect((await request(workerUrl).get('/metrics')).status).toBe(401);
    expect((await request(workerUrl).get('/metrics').set(bearer('metrics-secret-wrong-0123456789'))).status).toBe(401);
    const ok = await request(workerUrl).get('/metrics').set(bearer(token));
    expect(ok.status).toBe(200);
    expect(parseExposition(ok.text).types.get('helpdesk_jobs_total')).toBe('counter');
    expect((await request(workerUrl).get('/health/live')).status).toBe(200);
  });
});
