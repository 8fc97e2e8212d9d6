/**
 * What the built API writes to stdout: JSON lines by default when stdout is not a terminal, readable
 * lines with LOG_FORMAT=pretty, one line per finished request carrying the request id, no
 * credentials, and none of Nest's start-up listing at info. Needs the build (`pretest`).
 */
import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { freePort } from '../../libs/devstack/src/free-port';
import { createTestDatabase, dropTestDatabase, eventually, testStack } from '../support';

const API_MAIN = resolve(__dirname, '../../dist/apps/api/src/main.js');
const ADMIN = 'hds_logs_test_token_0123456789';
const STREAM_TICKET = 'st_secret_ticket_value';

interface LogLine {
  level: number;
  msg?: string;
  name?: string;
  context?: string;
  reqId?: string;
  responseTime?: unknown;
  req?: { method: string; url: string; headers: Record<string, string> };
  res?: { statusCode: number };
}

interface Started {
  child: ChildProcess;
  http: ReturnType<typeof request>;
  output: () => string;
}

async function startApi(database: { name: string; url: string }, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = fork(API_MAIN, [], {
    env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: database.name, PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'info', ...env },
    stdio: 'pipe',
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((ready, fail) => {
    child.on('message', (m: { type?: string }) => m?.type === 'ready' && ready());
    child.once('exit', (code) => fail(new Error(`api exited ${code}:\n${out}`)));
  });
  return { child, http: request(`http://127.0.0.1:${port}`), output: () => out };
}

function stop(started: Started): Promise<void> {
  return new Promise((done) => {
    if (started.child.exitCode !== null) return done();
    started.child.once('exit', () => done());
    started.child.kill('SIGTERM');
  });
}

/** The same three requests in both formats: one served, one refused with a stream ticket in its URL, one health probe. */
async function exercise(api: Started): Promise<{ okId: string; refusedId: string }> {
  const ok = await api.http.get('/api/v1/agents').set('Authorization', `Bearer ${ADMIN}`).set('Cookie', 'session=cookie-secret');
  expect(ok.status).toBe(200);
  const refused = await api.http.get(`/api/v1/queues/stream?token=${STREAM_TICKET}`).set('Authorization', 'Bearer hds_not_a_valid_token_0123');
  expect(refused.status).toBe(401);
  expect((await api.http.get('/health/live')).status).toBe(200);
  return { okId: ok.headers['x-request-id'], refusedId: refused.headers['x-request-id'] };
}

describe('API logs', () => {
  let database: { name: string; url: string };

  beforeAll(async () => {
    expect(existsSync(API_MAIN)).toBe(true);
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await dropTestDatabase(database.name);
  });

  it('are pino JSON lines when stdout is not a terminal: one per request, with its id, without credentials or the start-up listing', async () => {
    const api = await startApi(database, {});
    try {
      const { okId, refusedId } = await exercise(api);
      const lines = await eventually(
        async () => api.output().split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine),
        (ls) => ls.filter((l) => l.msg === 'request completed').length >= 2,
        10_000,
        'request lines',
      );
      const requests = lines.filter((l) => l.msg === 'request completed');
      expect(requests.map((l) => [l.level, l.req?.method, l.req?.url, l.res?.statusCode, l.reqId])).toEqual([
        [30, 'GET', '/api/v1/agents', 200, okId],
        [40, 'GET', '/api/v1/queues/stream?token=[Redacted]', 401, refusedId],
      ]);
      expect(requests[0]).toMatchObject({ name: 'api', req: { headers: { authorization: '[Redacted]', cookie: '[Redacted]' } } });
      expect(typeof requests[0].responseTime).toBe('number');
      const text = api.output();
      for (const secret of [ADMIN, 'cookie-secret', STREAM_TICKET, 'hds_not_a_valid_token_0123']) expect(text).not.toContain(secret);
      expect(lines.filter((l) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(l.context ?? ''))).toEqual([]);
      expect(lines.some((l) => l.context === 'NestApplication')).toBe(true);
    } finally {
      await stop(api);
    }
  }, 60_000);

  it('are readable lines with LOG_FORMAT=pretty', async () => {
    const api = await startApi(database, { LOG_FORMAT: 'pretty' });
    try {
      const { refusedId } = await exercise(api);
      const lines = await eventually(
        async () => api.output().split('\n').filter(Boolean),
        (ls) => ls.some((l) => l.includes('/api/v1/queues/stream')),
        10_000,
        'request lines',
      );
      for (const l of lines) expect(l).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN) \(api\): /);
      expect(lines).toEqual(expect.arrayContaining([
        expect.stringMatching(/\(api\): NestApplication: Nest application successfully started$/),
        expect.stringMatching(/\(api\): GET \/api\/v1\/agents 200 \d+ ms$/),
        expect.stringMatching(new RegExp(`\\(api\\): GET /api/v1/queues/stream\\?token=\\[Redacted\\] 401 \\d+ ms \\(request ${refusedId}\\)$`)),
      ]));
      expect(lines.filter((l) => /Mapped \{|dependencies initialized|\/health/.test(l))).toEqual([]);
    } finally {
      await stop(api);
    }
  }, 60_000);
});
