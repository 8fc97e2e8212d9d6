/**
 * `npm start` as a user runs it: the built launcher with embedded PostgreSQL and a local Redis,
 * data under a folder of its own. Ctrl-C (SIGINT) stops everything; a restart keeps the data.
 * Needs the build (`npm test` builds first, in `pretest`).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { freePort } from '../../libs/devstack/src/free-port';

const LAUNCHER = resolve(__dirname, '../../dist/apps/launcher/src/main.js');

interface Launched {
  child: ChildProcess;
  output: () => string;
}

async function launch(dataDir: string, port: number, workerPort: number): Promise<Launched> {
  const env: NodeJS.ProcessEnv = { ...process.env, HELPDESK_DATA_DIR: dataDir, PORT: String(port), WORKER_PORT: String(workerPort), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.BOOTSTRAP_ADMIN_TOKEN;
  delete env.QUEUE_PREFIX;
  const child = spawn(process.execPath, [LAUNCHER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`not started in 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (out.includes('Ctrl-C stops everything.')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`launcher exited (${code}):\n${out}`));
    });
  });
  return { child, output: () => out };
}

function stop(launched: Launched): Promise<number | null> {
  return new Promise((done) => {
    launched.child.once('exit', (code) => done(code));
    launched.child.kill('SIGINT');
  });
}

/** Processes whose command line mentions the folder (postgres -D, redis --dir, …). */
function processesUsing(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

describe('quick start: npm start on embedded defaults', () => {
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(LAUNCHER)).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-start-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts everything, prints how to use it, stops cleanly on Ctrl-C and keeps the data', async () => {
    const [port, workerPort] = [await freePort(), await freePort()];
    const first = await launch(dir, port, workerPort);
    const out = first.output();
    expect(out).toContain(`http://localhost:${port}/api/v1`);
    expect(out).toContain(`http://localhost:${port}/api/docs`);
    expect(out).toContain(`http://localhost:${port}/health/ready`);
    expect(out).toContain(`console  http://localhost:${port}/ `);
    const token = /keep it:\s+(hds_\S+)/.exec(out)?.[1];
    expect(token).toBeDefined();

    const http = request(`http://127.0.0.1:${port}`);
    expect((await http.get('/health/ready')).status).toBe(200);
    // The web console, built by npm run build, is served at / by the api.
    const consolePage = await http.get('/');
    expect([consolePage.status, consolePage.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(consolePage.text).toContain('<div id="root"></div>');
    expect((await request(`http://127.0.0.1:${workerPort}`).get('/health/ready')).status).toBe(200);
    const created = await http
      .post('/api/v1/agents')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Persisted', email: 'persisted@partner.example', roles: ['helpdesk_agent'] });
    expect(created.status).toBe(201);

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('[helpdesk] stopped');
    expect(processesUsing(dir)).toEqual([]);

    const second = await launch(dir, port, workerPort);
    try {
      expect(second.output()).not.toContain('keep it:');
      const list = await http.get('/api/v1/agents').set('Authorization', `Bearer ${token}`);
      expect(list.status).toBe(200);
      expect(list.body.map((a: { email: string }) => a.email)).toContain('persisted@partner.example');
    } finally {
      expect(await stop(second)).toBe(0);
    }
    expect(processesUsing(dir)).toEqual([]);
  }, 120_000);
});
