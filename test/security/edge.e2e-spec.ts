import { INestApplicationContext } from '@nestjs/common';
import { get, IncomingMessage } from 'node:http';
import { connect, Socket } from 'node:net';
import { freePort } from '../../libs/devstack/src/free-port';
import { WorkerHealthServer } from '../../apps/worker/src/worker-health.server';
import { bearer, createAgent, eventually, startTestApi, startTestWorker, TestApi, testStack } from '../support';

/** A raw HTTP/1.1 connection, to send a request piece by piece and see what the server does meanwhile. */
class RawClient {
  response = '';
  closed = false;
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (this.response += d));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string | Buffer): void {
    if (!this.closed) this.socket.write(text);
  }

  get status(): number | null {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.response);
    return match ? Number(match[1]) : null;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends `piece` every `everyMs` until the server answers or closes (at most `max` pieces). */
async function trickle(client: RawClient, piece: string, everyMs: number, max: number): Promise<number> {
  let sent = 0;
  while (sent < max && !client.closed && client.status === null) {
    client.write(piece);
    sent++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return sent;
}

describe('safe defaults on the edge', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ env: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', SSE_STREAMS_PER_CALLER: '2' } });
  });
  afterAll(async () => {
    await api?.close();
    for (const key of ['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS', 'SSE_STREAMS_PER_CALLER']) delete process.env[key];
  });

  it('sends the security headers and Cache-Control: no-store on every response, answered or refused', async () => {
    for (const res of [
      await api.http.get('/api/v1/agents').set(bearer(api.adminToken)),
      await api.http.get('/api/v1/agents'),
      await api.http.get('/api/v1/tickets?queue=a%00b').set(bearer(api.adminToken)),
      await api.http.get('/health/live'),
    ]) {
      expect(res.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends HSTS only when the request came over HTTPS (a proxy on this machine saying so)', async () => {
    const res = await api.http.get('/health/live').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it.each([
    ['no token', {}],
    ['a bad token', { Authorization: 'Bearer hds_not_a_valid_token_0123456789' }],
  ])('refuses a 1 MiB body with %s before reading it', async (_what, headers) => {
    const client = await RawClient.open(api.url);
    try {
      const auth = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      client.write(`POST /api/v1/tickets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n${auth}\r\n`);
      client.write('{"subject":"');
      // Only a first kilobyte of the promised mebibyte is ever sent: the answer cannot wait for the rest.
      client.write('x'.repeat(1024));
      await eventually(async () => client.status, (s) => s !== null, 10_000, 'an answer before the body');
      expect(client.status).toBe(401);
      expect(client.response).toMatch(/application\/problem\+json/);
    } finally {
      client.close();
    }
  });

  it('cuts off a client that sends its headers too slowly (slow loris)', async () => {
    const client = await RawClient.open(api.url);
    try {
      client.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n');
      // One header line every 200 ms for up to 8 s: the server gives up after 1 s (and a check interval).
      const sent = await trickle(client, 'X-Slow: 1\r\n', 200, 40);
      expect(sent).toBeLessThan(40);
      expect(client.status === 408 || client.closed).toBe(true);
    } finally {
      client.close();
    }
  });

  it('answers 408 to a client that trickles its body past the request deadline', async () => {
    const client = await RawClient.open(api.url);
    try {
      client.write(`POST /api/v1/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${api.adminToken}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"`);
      const sent = await trickle(client, 'x', 200, 40);
      expect(sent).toBeLessThan(40);
      expect(client.status === 408 || client.closed).toBe(true);
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE name LIKE 'xxx%'`);
      expect(n).toBe(0);
    } finally {
      client.close();
    }
  });

  it('lets one caller hold at most SSE_STREAMS_PER_CALLER live streams at once (429 beyond), and another open again once one ends', async () => {
    const open = () =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; close: () => void }>((resolve, reject) => {
        const url = new URL(`${api.url}/api/v1/queues/stream`);
        const req = get(url, { headers: { Accept: 'text/event-stream', ...bearer(api.adminToken) } }, (res: IncomingMessage) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, close: () => req.destroy() });
          if (res.statusCode === 200) done();
          else res.on('end', done);
        });
        req.on('error', reject);
      });
    const first = await open();
    const second = await open();
    try {
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await open();
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('15');
      expect(JSON.parse(third.body)).toMatchObject({ status: 429, detail: 'At most 2 live streams per caller may be open at once: close one first' });
      // Another caller is not affected.
      const other = await createAgent(api, ['admin_agent']);
      const theirs = await new Promise<number>((resolve) => {
        const req = get(`${api.url}/api/v1/queues/stream`, { headers: bearer(other.token) }, (res: IncomingMessage) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
      });
      expect(theirs).toBe(200);
      first.close();
      const again = await eventually(open, (r) => r.status === 200 || (r.close(), false), 10_000, 'a stream after one ended');
      again.close();
    } finally {
      first.close();
      second.close();
    }
  });

  it('serves the OpenAPI document unless API_DOCS=false', async () => {
    expect((await api.http.get('/api/docs-json')).status).toBe(200);
    const off = await startTestApi({ env: { API_DOCS: 'false' } });
    try {
      expect((await off.http.get('/api/docs-json')).status).toBe(404);
      expect((await off.http.get('/api/docs')).status).toBe(404);
    } finally {
      await off.close();
      delete process.env.API_DOCS;
    }
  });

  it("binds the worker's health and metrics port to loopback unless METRICS_TOKEN or WORKER_HOST says otherwise", async () => {
    const start = async (env: Record<string, string>): Promise<INestApplicationContext> =>
      startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, WORKER_PORT: String(await freePort()), ...env });
    const addresses: string[] = [];
    const envs: Array<Record<string, string>> = [{}, { WORKER_HOST: '0.0.0.0' }, { METRICS_TOKEN: 'metrics-secret-0123456789abcdef' }];
    for (const env of envs) {
      const worker = await start(env);
      try {
        addresses.push(worker.get(WorkerHealthServer).address()!.address);
      } finally {
        await worker.close();
        for (const key of Object.keys(env)) delete process.env[key];
      }
    }
    expect(addresses).toEqual(['127.0.0.1', '0.0.0.0', '0.0.0.0']);
  });
});
