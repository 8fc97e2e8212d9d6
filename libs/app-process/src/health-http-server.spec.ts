import type { DataSource } from 'typeorm';
import type { RedisHealthIndicator } from '@helpdesk/queue';
import { HealthHttpServer, replyJson, storesStatus } from './health-http-server';

describe('HealthHttpServer', () => {
  it('answers through the handler it was given, says where it listens, and stops listening on close', async () => {
    const server = new HealthHttpServer(async (req, res) => replyJson(res, req.url === '/health/live' ? 200 : 404, { url: req.url }));
    expect(server.address()).toBeNull();
    await server.listen(0, '127.0.0.1');
    const { address, port } = server.address()!;
    expect(address).toBe('127.0.0.1');
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('application/json');
    expect(await live.json()).toEqual({ url: '/health/live' });
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('closes without having listened', async () => {
    await expect(new HealthHttpServer(async () => undefined).close()).resolves.toBeUndefined();
  });
});

describe('storesStatus', () => {
  const redis = (status: 'up' | 'down') => ({ pingCheck: async () => ({ redis: status === 'up' ? { status } : { status, message: 'unreachable' } }) }) as unknown as RedisHealthIndicator;

  it('is up for each store that answers', async () => {
    const dataSource = { query: async () => [{ '?column?': 1 }] } as unknown as DataSource;
    expect(await storesStatus(dataSource, redis('up'))).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('names the store that does not answer, with its message, and still asks the other', async () => {
    const dataSource = { query: async () => Promise.reject(new Error('connect ECONNREFUSED')) } as unknown as DataSource;
    expect(await storesStatus(dataSource, redis('up'))).toEqual({ postgres: { status: 'down', message: 'connect ECONNREFUSED' }, redis: { status: 'up' } });
    const upDataSource = { query: async () => [] } as unknown as DataSource;
    expect(await storesStatus(upDataSource, redis('down'))).toEqual({ postgres: { status: 'up' }, redis: { status: 'down', message: 'unreachable' } });
  });
});
