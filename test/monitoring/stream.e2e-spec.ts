import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { validateConfig } from '@helpdesk/config';
import { LiveEvents } from '@helpdesk/queue';
import { SlaMonitorService } from '@helpdesk/triage';
import { bearer, createAgent, createCustomer, createPlan, eventually, SseClient, SseEvent, startTestApi, startTestWorker, TestApi, testStack, ticketBody } from '../support';

describe('monitoring: the live stream (SSE) across api and worker processes', () => {
  let first: TestApi;
  let second: TestApi;
  let worker: INestApplicationContext;
  let redis: Redis;
  let customer: { id: string; token: string };
  let manager: { id: string; token: string };
  let helpdeskAgent: { id: string; token: string };
  const clients: SseClient[] = [];

  const open = async (api: TestApi, headers: Record<string, string> = {}, query = '') => {
    const client = await SseClient.open(`${api.url}/api/v1/queues/stream${query}`, headers);
    clients.push(client);
    return client;
  };
  const streamToken = async (token: string) => first.http.post('/api/v1/queues/stream-tokens').set(bearer(token));
  const ticketKey = (token: string) => `${first.queuePrefix}:live:stream-ticket:${createHash('sha256').update(token).digest('hex')}`;

  beforeAll(async () => {
    first = await startTestApi();
    // A second api process on the same database and Redis prefix (the same deployment).
    second = await startTestApi({ database: first.database, env: { QUEUE_PREFIX: first.queuePrefix, BOOTSTRAP_ADMIN_TOKEN: first.adminToken } });
    const plan = await createPlan(first, { businessHours: [], holidays: [] });
    customer = await createCustomer(first, plan.id, 'Fabrikam Live');
    manager = await createAgent(first, ['admin_agent']);
    helpdeskAgent = await createAgent(first, ['helpdesk_agent']);
    redis = new Redis(testStack().redisUrl);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    redis?.disconnect();
    await worker?.close();
    await second?.close({ keepDatabase: true });
    await first?.close();
  });

  it('sends a stats event within 2.5 s of opening, with text/event-stream headers and increasing ids', async () => {
    const stream = await open(first, bearer(manager.token));
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toContain('no-cache');
    const stats = await stream.next((e) => e.event === 'stats', 2500, 'stats');
    expect(stats.receivedAt - stream.openedAt).toBeLessThan(2500);
    expect(new Date(stats.data.at as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const again = await stream.next((e) => e.event === 'stats' && e !== stats, 3000, 'a second stats event');
    expect(Number(again.id)).toBeGreaterThan(Number(stats.id));
    stream.close();
  });

  it('delivers a ticket.created posted through a SECOND api process within 2 s, to every stream of every process', async () => {
    const onFirst = await open(first, bearer(manager.token));
    const alsoOnFirst = await open(first, bearer(first.adminToken));
    const onSecond = await open(second, bearer(manager.token));
    for (const s of [onFirst, alsoOnFirst, onSecond]) expect(s.status).toBe(200);

    const postedAt = Date.now();
    const created = await second.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Live: Exchange down', severity: 'P2' }));
    expect(created.status).toBe(201);
    const isIt = (e: SseEvent) => e.event === 'ticket.created' && e.data.id === created.body.id;
    const received = await Promise.all([onFirst, alsoOnFirst, onSecond].map((s) => s.next(isIt, 2000, 'ticket.created')));
    for (const e of received) {
      expect(e.receivedAt - postedAt).toBeLessThan(2000);
      expect(e.data).toEqual({
        id: created.body.id,
        number: created.body.number,
        customerId: customer.id,
        subject: 'Live: Exchange down',
        priority: 'P2',
        channel: 'portal',
        at: expect.any(String),
      });
      expect(e.id).toMatch(/^\d+$/);
    }

    // An idempotent repeat creates nothing, so it announces nothing.
    const key = `live-${Date.now()}`;
    const a = await first.http.post('/api/v1/tickets').set(bearer(customer.token)).set('Idempotency-Key', key).send(ticketBody(undefined, { subject: 'Live: once' }));
    const b = await first.http.post('/api/v1/tickets').set(bearer(customer.token)).set('Idempotency-Key', key).send(ticketBody(undefined, { subject: 'Live: once' }));
    expect([a.status, b.status]).toEqual([201, 200]);
    await onSecond.next((e) => e.event === 'ticket.created' && e.data.id === a.body.id, 2000, 'ticket.created (idempotent)');
    // A marker published after the repeat: once it is in, the repeat would have been too.
    first.app.get(LiveEvents).publish('ticket.escalated', { escalationId: 'marker', ticketId: a.body.id, tier: 'premier' });
    await onSecond.next((e) => e.event === 'ticket.escalated' && e.data.escalationId === 'marker', 2000, 'marker');
    expect(onSecond.events.filter((e) => e.event === 'ticket.created' && e.data.id === a.body.id)).toHaveLength(1);
    for (const s of [onFirst, alsoOnFirst, onSecond]) s.close();
  });

  it('delivers sla.breached published by the SLA monitor in a worker process', async () => {
    worker = await startTestWorker({ DATABASE_URL: first.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: first.queuePrefix });
    const stream = await open(second, bearer(manager.token));
    const created = await first.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Live: breach me', severity: 'P1' }));
    expect(created.status).toBe(201);
    const triaged = await eventually(
      async () => (await first.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(first.adminToken))).body,
      (t) => Boolean(t.sla?.resolutionDueAt),
      20_000,
      'triaged with SLA dates',
    );

    // The worker's own scheduled scan (at the real time, so it breaches nothing here) may hold the
    // scan lock right now, and a scan never waits for the lock: scan again until this one has run.
    const weekLater = new Date(Date.now() + 7 * 24 * 3600_000);
    const result = await eventually(() => worker.get(SlaMonitorService).scan(weekLater), (r) => !r.skipped, 20_000, 'a scan of its own (not skipped)');
    expect(result.breaches).toBeGreaterThanOrEqual(2);
    const breach = (target: string) => stream.next((e) => e.event === 'sla.breached' && e.data.ticketId === created.body.id && e.data.target === target, 3000, `sla.breached ${target}`);
    const [fr, rs] = await Promise.all([breach('firstResponse'), breach('resolution')]);
    expect(fr.data).toEqual({ ticketId: created.body.id, target: 'firstResponse', dueAt: triaged.sla.firstResponseDueAt, at: expect.any(String) });
    expect(rs.data).toEqual({ ticketId: created.body.id, target: 'resolution', dueAt: triaged.sla.resolutionDueAt, at: expect.any(String) });
    stream.close();
  });

  it('delivers ticket.escalated when an agent escalates a ticket', async () => {
    const stream = await open(first, bearer(manager.token));
    const created = await second.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Factura duplicada', description: 'La factura de octubre llegó dos veces' }));
    await eventually(
      async () => (await first.http.get(`/api/v1/tickets/${created.body.id}`).set(bearer(first.adminToken))).body,
      (t) => t.status === 'triaged' && t.category === 'billing',
      20_000,
      'triaged as billing',
    );
    const escalated = await second.http.post(`/api/v1/tickets/${created.body.id}/escalations`).set(bearer(first.adminToken)).send({ reason: 'Duplicate invoice from the vendor' });
    expect(escalated.status).toBe(202);
    const event = await stream.next((e) => e.event === 'ticket.escalated' && e.data.ticketId === created.body.id, 2000, 'ticket.escalated');
    expect(event.data).toEqual({ escalationId: escalated.body.id, ticketId: created.body.id, tier: 'commercial', trigger: 'manual', at: expect.any(String) });
    stream.close();
  });

  describe('authentication', () => {
    it('401 without credentials or with a bad bearer token, 403 for other roles and customers', async () => {
      const none = await open(first);
      expect(none.status).toBe(401);
      expect(none.headers['content-type']).toContain('application/problem+json');
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.body).toMatchObject({ status: 401 });

      expect((await open(first, bearer('hds_not-a-real-token'))).status).toBe(401);
      expect((await open(first, { Authorization: 'Basic abc' })).status).toBe(401);
      const agent = await open(first, bearer(helpdeskAgent.token));
      expect(agent.status).toBe(403);
      expect(agent.body).toMatchObject({ status: 403, detail: expect.stringContaining('admin_agent') });
      expect((await open(first, bearer(customer.token))).status).toBe(403);
    });

    it('issues a 60 s single-use stream token (only its hash stored) that opens the stream once', async () => {
      expect((await streamToken(helpdeskAgent.token)).status).toBe(403);
      expect((await streamToken(customer.token)).status).toBe(403);
      expect((await first.http.post('/api/v1/queues/stream-tokens')).status).toBe(401);

      const issued = await streamToken(manager.token);
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({ token: expect.stringMatching(/^hst_[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
      const ttlMs = new Date(issued.body.expiresAt).getTime() - Date.now();
      expect(ttlMs).toBeGreaterThan(55_000);
      expect(ttlMs).toBeLessThanOrEqual(60_000);
      // Only the hash is in Redis, with a TTL.
      const ttl = await redis.ttl(ticketKey(issued.body.token));
      expect(ttl).toBeGreaterThan(55);
      expect(ttl).toBeLessThanOrEqual(60);
      const keys = await redis.keys(`${first.queuePrefix}:live:*`);
      expect(keys.some((k) => k.includes(issued.body.token))).toBe(false);
      for (const k of keys) expect(await redis.get(k)).not.toContain(issued.body.token);

      // Works on any api process, once, without a header (as EventSource does).
      const stream = await open(second, {}, `?token=${issued.body.token}`);
      expect(stream.status).toBe(200);
      await stream.next((e) => e.event === 'stats', 2500, 'stats');
      stream.close();
      expect((await open(first, {}, `?token=${issued.body.token}`)).status).toBe(401);

      // A ticket in a URL is spent on sight, even when a bearer header decides (and refuses) the request.
      const seen = await streamToken(manager.token);
      expect((await open(first, bearer(helpdeskAgent.token), `?token=${seen.body.token}`)).status).toBe(403);
      expect(await redis.exists(ticketKey(seen.body.token))).toBe(0);
      expect((await open(first, {}, `?token=${seen.body.token}`)).status).toBe(401);
    });

    it('401 for an expired or invalid stream token', async () => {
      const issued = await streamToken(first.adminToken);
      expect(issued.status).toBe(201);
      await redis.pexpire(ticketKey(issued.body.token), 1);
      await eventually(() => redis.exists(ticketKey(issued.body.token)), (n) => n === 0, 2000, 'ticket expired');
      const expired = await open(first, {}, `?token=${issued.body.token}`);
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ status: 401, detail: expect.stringContaining('expired') });
      expect((await open(first, {}, '?token=hst_nope')).status).toBe(401);
      expect((await open(first, {}, `?token=${'a'.repeat(500)}`)).status).toBe(401);
    });
  });

  it('publishing never throws into the caller nor waits for Redis, even when Redis is unreachable', async () => {
    const unreachable = new LiveEvents(validateConfig({ DATABASE_URL: first.database.url, REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'nowhere' }));
    // publish returns nothing to wait on: the caller's transaction never waits for Redis.
    const returned = new Set<unknown>();
    for (let i = 0; i < 1000; i++) {
      returned.add(unreachable.publish('ticket.created', { id: `${i}`, number: 'HD-000001', customerId: 'c', subject: 's', priority: 'P3', channel: 'api' }));
    }
    expect([...returned]).toEqual([undefined]);
    // Not even a payload JSON cannot encode.
    expect(() => unreachable.publish('sla.breached', { ticketId: 't', target: 'resolution', dueAt: 1n } as never)).not.toThrow();
    await unreachable.onModuleDestroy();
  });

  it('ends open streams when the api shuts down', async () => {
    const extra = await startTestApi({ database: first.database, env: { QUEUE_PREFIX: first.queuePrefix, BOOTSTRAP_ADMIN_TOKEN: first.adminToken } });
    const stream = await open(extra, bearer(manager.token));
    await stream.next((e) => e.event === 'stats', 2500, 'stats');
    await extra.close({ keepDatabase: true });
    await stream.closedByServer(1000);
  });
});
