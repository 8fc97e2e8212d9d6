/**
 * The built API (run `npm run build` first) stopped with SIGTERM while clients keep sending over
 * kept-alive connections: it answers new requests 503 at once, finishes those in flight, and exits
 * within SHUTDOWN_TIMEOUT_MS — every ticket it answered 2xx is stored, every other answer is a 503
 * or a closed connection, never a 500.
 */
import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { createCustomer, createPlan, createTestDatabase, dropTestDatabase, eventually, TestApi, testStack, ticketBody } from '../support';
import { AppProcess, killAppProcesses, startApiProcess } from '../support/app-processes';

const ADMIN = 'hds_resilience_stop_admin_0123456789';

interface Answer {
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: Record<string, unknown>;
  /** The connection's error code when there was no answer (refused, reset). */
  error?: string;
}

/** One request over `agent` (a kept-alive connection when one is free); never rejects. */
function send(agent: Agent, url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      `${url}${path}`,
      { method, agent, headers: { Authorization: `Bearer ${ADMIN}`, ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers } },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (raw += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(payload);
  });
}

/** What a 503 of a stopping API looks like. */
function expectStopping(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers?.['content-type']).toContain('application/problem+json');
  expect(answer.headers?.['retry-after']).toBe('2');
  expect(answer.headers?.connection).toBe('close');
  expect(answer.body).toMatchObject({ type: 'urn:helpdesk:problem:stopping', status: 503, requestId: expect.any(String) });
}

describe('the API stops on SIGTERM while keep-alive clients keep sending', () => {
  let database: { name: string; url: string };
  let customerId: string;

  const startApi = (extra: Record<string, string> = {}): Promise<AppProcess & { url: string }> =>
    startApiProcess({
      DATABASE_URL: database.url,
      REDIS_URL: testStack().redisUrl,
      QUEUE_PREFIX: database.name,
      BOOTSTRAP_ADMIN_TOKEN: ADMIN,
      ...extra,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    const api = await startApi();
    const client = { http: request(api.url), adminToken: ADMIN } as unknown as TestApi;
    customerId = (await createCustomer(client, (await createPlan(client)).id)).id;
    await api.stop('SIGTERM');
  });
  afterAll(async () => {
    await killAppProcesses();
    await dropTestDatabase(database.name);
  });

  it.each([['one API process', '1'], ['two API processes (the supervisor passes the signal on)', '2']])(
    '%s: every 2xx ticket is stored, every other answer is a 503 or a closed connection, and it exits in time',
    async (_label, processes) => {
      const api = await startApi({ API_PROCESSES: processes, SHUTDOWN_TIMEOUT_MS: '10000' });
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const answers: Array<Answer & { externalId: string }> = [];
      let exitedAt = 0;
      void api.exited.then(() => (exitedAt = Date.now()));
      let n = 0;
      const client = async () => {
        // Until the process is gone, and one more round after that (a refused connection).
        for (let gone = false; !gone; ) {
          gone = exitedAt > 0;
          const externalId = `stop-${processes}-${++n}`;
          answers.push({ externalId, ...(await send(agent, api.url, 'POST', '/api/v1/tickets', ticketBody(customerId, { externalId }))) });
        }
      };
      const clients = Array.from({ length: 8 }, client);
      await eventually(async () => answers.filter((a) => a.status === 201).length, (accepted) => accepted >= 50, 60_000, 'tickets accepted under load');

      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      expect(await api.exited).toEqual({ code: 0, signal: null });
      expect(exitedAt - signalledAt).toBeLessThan(10_000);
      await Promise.all(clients);
      agent.destroy();

      const accepted = answers.filter((a) => a.status === 201);
      const others = answers.filter((a) => a.status !== 201);
      for (const answer of others.filter((a) => a.status !== undefined)) expectStopping(answer);
      expect([...new Set(others.filter((a) => a.error).map((a) => a.error))].filter((e) => !['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(e!))).toEqual([]);
      // At least the last round after the exit was refused.
      expect(others.some((a) => a.error === 'ECONNREFUSED')).toBe(true);

      // Every ticket stored was answered 201, and every 201 is a stored ticket: no request was cut off mid-way.
      const stored = (await query(
        `SELECT id, external_id FROM tickets WHERE customer_id = $1 AND external_id LIKE $2`,
        [customerId, `stop-${processes}-%`],
      )) as Array<{ id: string; external_id: string }>;
      expect(stored.map((t) => `${t.external_id} ${t.id}`).sort()).toEqual(accepted.map((a) => `${a.externalId} ${a.body!.id as string}`).sort());
    },
    180_000,
  );

  describe('a request in flight when the signal comes', () => {
    let holder: Client;
    let adminCaller: string;

    beforeAll(async () => {
      const [admin] = await query(`SELECT id FROM agents`);
      adminCaller = `staff:${admin.id as string}`;
    });
    beforeEach(async () => {
      holder = new Client({ connectionString: database.url });
      await holder.connect();
    });
    afterEach(async () => {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    });

    /**
     * POST /tickets with an Idempotency-Key whose row another transaction has just inserted and not
     * committed: the API's insert waits for that transaction, so the request stays in flight until
     * the test ends it.
     */
    async function heldRequest(api: { url: string }, key: string): Promise<{ answer: Promise<Answer>; externalId: string }> {
      await holder.query('BEGIN');
      await holder.query(`INSERT INTO idempotency_keys (caller, key, request_hash, ticket_id) VALUES ($1, $2, repeat('0', 64), gen_random_uuid())`, [adminCaller, key]);
      const externalId = `held-${key}`;
      const answer = send(new Agent({ keepAlive: true }), api.url, 'POST', '/api/v1/tickets', ticketBody(customerId, { externalId }), { 'Idempotency-Key': key });
      await eventually(
        () => query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO idempotency_keys%'`),
        ([{ n }]) => n === 1,
        30_000,
        'the request waiting on the held key',
      );
      return { answer, externalId };
    }

    it('is finished while new requests (readiness too) get 503 with Retry-After and Connection: close; then the API exits 0', async () => {
      const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '60000' });
      const held = await heldRequest(api, 'held-then-released');

      api.child.kill('SIGTERM');
      const agent = new Agent({ keepAlive: true });
      const ready = await eventually(() => send(agent, api.url, 'GET', '/health/ready'), (a) => a.status === 503, 20_000, 'readiness 503');
      expectStopping(ready);
      expectStopping(await send(agent, api.url, 'POST', '/api/v1/tickets', ticketBody(customerId, { externalId: 'while-stopping' })));
      expectStopping(await send(agent, api.url, 'GET', '/health/live'));
      agent.destroy();
      expect(api.child.exitCode).toBeNull();

      await holder.query('ROLLBACK');
      const answer = await held.answer;
      expect(answer.status).toBe(201);
      expect(answer.headers?.connection).toBe('close');
      expect(await api.exited).toEqual({ code: 0, signal: null });
      expect(await query(`SELECT id FROM tickets WHERE external_id = $1`, [held.externalId])).toEqual([{ id: answer.body!.id }]);
      expect(await query(`SELECT count(*)::int AS n FROM tickets WHERE external_id = 'while-stopping'`)).toEqual([{ n: 0 }]);
    }, 120_000);

    it('still unfinished at SHUTDOWN_TIMEOUT_MS: the API exits 1 then, the client sees a closed connection, nothing is stored', async () => {
      const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '3000' });
      const held = await heldRequest(api, 'held-past-the-deadline');

      const signalledAt = Date.now();
      api.child.kill('SIGTERM');
      expect(await api.exited).toEqual({ code: 1, signal: null });
      const took = Date.now() - signalledAt;
      expect(took).toBeGreaterThanOrEqual(2900);
      expect(took).toBeLessThan(20_000);
      expect(await held.answer).toEqual({ error: 'ECONNRESET' });

      await holder.query('ROLLBACK');
      expect(await query(`SELECT count(*)::int AS n FROM tickets WHERE external_id = $1`, [held.externalId])).toEqual([{ n: 0 }]);
      expect(api.output()).toContain('still stopping 3000 ms after SIGTERM');
    }, 120_000);
  });

  async function query(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
});
