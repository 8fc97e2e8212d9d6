/**
 * Outages answered right (issue #18): while PostgreSQL or Redis is unreachable, the requests that
 * need it get 503 problem+json with Retry-After — not a 500 with a stack per request — the outage is
 * logged once when it starts and once when it ends, and the API recovers by itself. The built API
 * runs as a child process (its log is read from stdout) against a PostgreSQL and a Redis of its own,
 * which the test stops and starts again on the same ports. Needs `npm run build`.
 */
import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { freePort } from '../../libs/devstack/src/free-port';
import { RunningRedis, startLocalRedis } from '../../libs/devstack/src/local-redis';
import { PostgresProcess, startPostgresProcess } from '../escalation/postgres-process';
import { eventually, ticketBody } from '../support';

const API_MAIN = resolve(__dirname, '../../dist/apps/api/src/main.js');
const ADMIN = 'hds_outage_test_token_0123456789';

interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  res?: { statusCode: number };
}

describe('the API while PostgreSQL or Redis is unreachable', () => {
  let dir: string;
  let postgres: PostgresProcess;
  let redis: RunningRedis;
  let child: ChildProcess;
  let output = '';
  let http: ReturnType<typeof request>;
  let customerToken: string;
  const database = 'helpdesk_outage';
  const admin = { Authorization: `Bearer ${ADMIN}` };

  const logs = () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  const outageLines = (pattern: RegExp) => logs().filter((l) => l.context === 'Outage' && pattern.test(l.msg ?? ''));

  beforeAll(async () => {
    expect(existsSync(API_MAIN)).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-outage-'));
    postgres = await startPostgresProcess({ dataDir: join(dir, 'postgres'), database });
    redis = await startLocalRedis({ dataDir: join(dir, 'redis'), durable: false });
    const port = await freePort();
    child = fork(API_MAIN, [], {
      env: { ...process.env, DATABASE_URL: postgres.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'outage', PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'info', LOG_FORMAT: 'json', WORKER_PORT: '0' },
      stdio: 'pipe',
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await new Promise<void>((ready, fail) => {
      child.on('message', (m: { type?: string }) => m?.type === 'ready' && ready());
      child.once('exit', (code) => fail(new Error(`api exited ${code}:\n${output}`)));
    });
    http = request(`http://127.0.0.1:${port}`);
    const plan = await http.post('/api/v1/support-plans').set(admin).send({
      name: 'Plan', timezone: 'UTC', businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '00:00', end: '23:59' })), holidays: [], contactMethods: ['portal'],
      targets: Object.fromEntries(['P1', 'P2', 'P3', 'P4'].map((p) => [p, { firstResponseMinutes: 60, resolutionMinutes: 600 }])),
    });
    expect(plan.status).toBe(201);
    const customer = await http.post('/api/v1/customers').set(admin).send({ name: 'Fabrikam', domain: 'fabrikam.example', supportPlanId: plan.body.id });
    customerToken = (await http.post(`/api/v1/customers/${customer.body.id}/tokens`).set(admin)).body.token;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await redis?.stop();
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const expectUnavailable = (res: request.Response, dependency: string) => {
    expect([res.status, res.headers['content-type'], res.headers['retry-after']]).toEqual([503, expect.stringMatching(/^application\/problem\+json/), '5']);
    expect(res.body).toMatchObject({ type: 'urn:helpdesk:problem:unavailable', status: 503, detail: `${dependency} is unreachable at the moment; try again shortly` });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|at .*\.js|Error:/);
  };

  it('answers 503 with Retry-After while PostgreSQL is down, logs the outage once, and recovers by itself', async () => {
    const port = postgres.port;
    await postgres.stop();

    // A flood of requests of every kind that needs the database, a new token's lookup included.
    const answers: request.Response[] = [];
    for (let i = 0; i < 10; i++) {
      answers.push(await http.get('/api/v1/tickets').set(admin));
      answers.push(await http.post('/api/v1/tickets').set({ Authorization: `Bearer ${customerToken}` }).send(ticketBody(undefined, { subject: `during outage ${i}` })));
      answers.push(await http.get('/api/v1/agents').set({ Authorization: `Bearer hds_never_seen_before_${i}_0123456789` }));
    }
    for (const res of answers) expectUnavailable(res, 'PostgreSQL');
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(503);

    const started = await eventually(async () => outageLines(/^PostgreSQL is unreachable/), (l) => l.length >= 1, 5000, 'the outage line');
    expect(started).toHaveLength(1);
    // Not a stack per request: nothing else at error level but the request lines.
    expect(logs().filter((l) => l.level >= 50 && l.msg !== 'request completed' && l.context !== 'Outage')).toEqual([]);
    expect(output).not.toMatch(/\n\s+at /);

    postgres = await startPostgresProcess({ dataDir: join(dir, 'postgres'), database, port });
    const filed = await eventually(
      () => http.post('/api/v1/tickets').set({ Authorization: `Bearer ${customerToken}` }).send(ticketBody(undefined, { subject: 'after the outage' })),
      (res) => res.status === 201,
      30_000,
      'a ticket filed after the outage',
    );
    expect(filed.body.subject).toBe('after the outage');
    expect((await http.get('/api/v1/tickets').set(admin)).status).toBe(200);
    const recovered = await eventually(async () => outageLines(/^PostgreSQL is reachable again/), (l) => l.length >= 1, 10_000, 'the recovery line');
    expect(recovered).toHaveLength(1);
    expect(outageLines(/^PostgreSQL is unreachable/)).toHaveLength(1);
  }, 120_000);

  it('answers 503 to what needs Redis while it is down, keeps taking tickets, and recovers by itself', async () => {
    const port = redis.port;
    await redis.stop();

    for (let i = 0; i < 3; i++) {
      expectUnavailable(await http.get('/api/v1/queues/stats').set(admin), 'Redis');
      expectUnavailable(await http.post('/api/v1/queues/stream-tokens').set(admin), 'Redis');
    }
    // Intake does not need Redis: the hand-off to triage waits in the outbox.
    const filed = await http.post('/api/v1/tickets').set({ Authorization: `Bearer ${customerToken}` }).send(ticketBody(undefined, { subject: 'while Redis is down' }));
    expect(filed.status).toBe(201);
    expect(await eventually(async () => outageLines(/^Redis is unreachable/), (l) => l.length >= 1, 5000, 'the outage line')).toHaveLength(1);

    redis = await startLocalRedis({ dataDir: join(dir, 'redis'), port, durable: false });
    await eventually(() => http.get('/api/v1/queues/stats').set(admin), (res) => res.status === 200, 30_000, 'stats after the outage');
    expect((await http.post('/api/v1/queues/stream-tokens').set(admin)).status).toBe(201);
    expect(await eventually(async () => outageLines(/^Redis is reachable again/), (l) => l.length >= 1, 10_000, 'the recovery line')).toHaveLength(1);
    expect(outageLines(/^Redis is unreachable/)).toHaveLength(1);
    expect(output).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('keeps taking tickets when Redis is connected but does not answer in time (the rate limit gives up its count)', async () => {
    const pauser = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      // Every other client's commands wait 3 s: the rate limit's count times out after 500 ms.
      await pauser.call('CLIENT', 'PAUSE', '3000', 'ALL');
      const filed = await http.post('/api/v1/tickets').set({ Authorization: `Bearer ${customerToken}` }).send(ticketBody(undefined, { subject: 'while Redis is slow' }));
      expect([filed.status, filed.body.subject]).toEqual([201, 'while Redis is slow']);
    } finally {
      await pauser.call('CLIENT', 'UNPAUSE');
      pauser.disconnect();
    }
    expect(logs().filter((l) => l.res?.statusCode === 500)).toEqual([]);
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);
});
