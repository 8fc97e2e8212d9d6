/**
 * Issue #17 with real processes: API_PROCESSES=2 (node:cluster, one port, requests spread over
 * both), each caching the caller's token. A demotion and then a revocation made through one request
 * hold for every following request, whichever process answers it.
 */
import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { freePort } from '../../libs/devstack/src/free-port';
import { createTestDatabase, dropTestDatabase, testStack } from '../support';

const API_MAIN = resolve(__dirname, '../../dist/apps/api/src/main.js');
const ADMIN = 'hds_cluster_rights_test_token_01';

describe('rights change at once in every process of API_PROCESSES=2', () => {
  let supervisor: ChildProcess;
  let database: { name: string; url: string };

  afterAll(async () => {
    if (supervisor && supervisor.exitCode === null) {
      const exited = new Promise((done) => supervisor.once('exit', done));
      supervisor.kill('SIGTERM');
      await exited;
    }
    if (database) await dropTestDatabase(database.name);
  });

  it('refuses a demoted and then a revoked token on every request after the change, from both processes', async () => {
    database = await createTestDatabase();
    const port = await freePort();
    supervisor = fork(API_MAIN, [], {
      env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: database.name, PORT: String(port), API_PROCESSES: '2', LOG_LEVEL: 'warn', BOOTSTRAP_ADMIN_TOKEN: ADMIN },
      stdio: 'pipe',
    });
    await new Promise<void>((ready, fail) => {
      supervisor.on('message', (m: { type?: string; processes?: number }) => m?.type === 'ready' && m.processes === 2 && ready());
      supervisor.once('exit', (code) => fail(new Error(`supervisor exited ${code}`)));
    });
    const http = request(`http://127.0.0.1:${port}`);
    const admin = { Authorization: `Bearer ${ADMIN}` };
    const created = await http.post('/api/v1/agents').set(admin).send({ name: 'Manager', email: 'manager@partner.example', roles: ['admin_agent'] });
    expect(created.status).toBe(201);
    const manager = { Authorization: `Bearer ${created.body.token}` };
    const statuses = async (headers: Record<string, string>) => Promise.all(Array.from({ length: 20 }, async () => (await http.get('/api/v1/agents').set(headers).set('Connection', 'close')).status));

    // Every process has seen (and cached) the manager's token.
    expect(new Set(await statuses(manager))).toEqual(new Set([200]));
    expect(new Set(await statuses(manager))).toEqual(new Set([200]));

    expect((await http.patch(`/api/v1/agents/${created.body.id}`).set(admin).send({ roles: ['helpdesk_agent'] })).status).toBe(200);
    expect(new Set(await statuses(manager))).toEqual(new Set([403]));

    const [token] = (await http.get(`/api/v1/agents/${created.body.id}/tokens`).set(admin)).body;
    expect((await http.delete(`/api/v1/agents/${created.body.id}/tokens/${token.id}`).set(admin)).status).toBe(200);
    expect(new Set(await statuses(manager))).toEqual(new Set([401]));
  }, 120_000);
});
