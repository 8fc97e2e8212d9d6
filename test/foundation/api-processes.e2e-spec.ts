/**
 * API_PROCESSES=2: the built API supervises two processes on one port (node:cluster), answers,
 * replaces a process that dies, and stops them all on SIGTERM. Needs the build (`pretest`).
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { freePort } from '../../libs/devstack/src/free-port';
import { createTestDatabase, dropTestDatabase, eventually, testStack } from '../support';

const API_MAIN = resolve(__dirname, '../../dist/apps/api/src/main.js');

const childrenOf = (pid: number): number[] =>
  execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0);

describe('API_PROCESSES: several API processes behind one port', () => {
  let supervisor: ChildProcess;
  let database: { name: string; url: string };

  afterAll(async () => {
    if (supervisor && supervisor.exitCode === null) supervisor.kill('SIGKILL');
    await dropTestDatabase(database.name);
  });

  it('serves from two processes, replaces one that dies, and stops all on SIGTERM', async () => {
    expect(existsSync(API_MAIN)).toBe(true);
    database = await createTestDatabase();
    const port = await freePort();
    supervisor = fork(API_MAIN, [], {
      env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: database.name, PORT: String(port), API_PROCESSES: '2', LOG_LEVEL: 'warn', BOOTSTRAP_ADMIN_TOKEN: 'hds_cluster_test_token_01' },
      stdio: 'pipe',
    });
    await new Promise<void>((ready, fail) => {
      supervisor.on('message', (m: { type?: string; processes?: number }) => m?.type === 'ready' && m.processes === 2 && ready());
      supervisor.once('exit', (code) => fail(new Error(`supervisor exited ${code}`)));
    });
    const workers = childrenOf(supervisor.pid!);
    expect(workers).toHaveLength(2);
    const http = request(`http://127.0.0.1:${port}`);
    for (let i = 0; i < 10; i++) expect((await http.get('/api/v1/agents').set('Authorization', 'Bearer hds_cluster_test_token_01')).status).toBe(200);
    // Exactly one bootstrap admin although two processes started at once.
    const agents = await http.get('/api/v1/agents').set('Authorization', 'Bearer hds_cluster_test_token_01');
    expect(agents.body).toHaveLength(1);

    process.kill(workers[0], 'SIGKILL');
    const replaced = await eventually(async () => childrenOf(supervisor.pid!), (pids) => pids.length === 2 && !pids.includes(workers[0]), 30_000, 'replacement process');
    await eventually(async () => (await http.get('/health/live').catch(() => ({ status: 0 }))).status, (s) => s === 200, 30_000, 'answers again');

    const exited = new Promise<number | null>((done) => supervisor.once('exit', (code) => done(code)));
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});
