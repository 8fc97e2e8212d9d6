/**
 * `npm start` supervises what it runs: a worker, Redis or PostgreSQL that dies is restarted while
 * the rest keeps running, the worker health endpoint shows the state, repeated crashes end in a
 * clear give-up, and a terminal's Ctrl-C (SIGINT to the whole process group) stops everything in
 * order without the API answering 500 while it drains.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupervisedProcessState } from '@helpdesk/devstack';
import { eventually } from '@helpdesk/testing';
import { rawMail, messageId, sendSmtp } from '../channels/support';
import { planBody, ticketBody } from '../support/factories';
import { ADMIN_TOKEN, alive, everyPid, launch, Launched, leftFrom, START_TIMEOUT_MS, STOP_LINES, stopAllLaunched } from './launched';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** A restart on a loaded machine: backoff, then a whole Nest app starting. */
const RECOVERY_MS = 60_000;

async function customerToken(stack: Launched): Promise<{ token: string; domain: string }> {
  const plan = await stack.api.post('/api/v1/support-plans').set(admin).send(planBody());
  expect(plan.status).toBe(201);
  const customer = await stack.api
    .post('/api/v1/customers')
    .set(admin)
    .send({ name: `Fabrikam ${Date.now()}`, domain: `fabrikam-${Date.now()}.example`, supportPlanId: plan.body.id });
  expect(customer.status).toBe(201);
  const token = await stack.api.post(`/api/v1/customers/${customer.body.id}/tokens`).set(admin);
  expect(token.status).toBe(201);
  return { token: token.body.token as string, domain: customer.body.domain as string };
}

async function fileTicket(stack: Launched, token: string, subject: string): Promise<string> {
  const res = await stack.api.post('/api/v1/tickets').set({ Authorization: `Bearer ${token}` }).send(ticketBody(undefined, { subject }));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const ticketStatus = async (stack: Launched, id: string) => (await stack.api.get(`/api/v1/tickets/${id}`).set(admin)).body.status as string;

const stateOf = async (stack: Launched, name: string): Promise<SupervisedProcessState | undefined> =>
  (await stack.processes().catch(() => [])).find((p) => p.name === name);

/** Waits for `name` to run again under another pid than `before`. */
const restarted = (stack: Launched, name: string, before: number) =>
  eventually(
    () => stateOf(stack, name),
    (s) => s?.status === 'running' && s.pid !== null && s.pid !== before,
    RECOVERY_MS,
    `${name} running again`,
  );

/** SIGKILLs `name` and waits for its restart; the state of everything after it. */
async function killAndWaitForRestart(stack: Launched, name: string): Promise<{ before: number; after: SupervisedProcessState }> {
  const before = await stack.pidOf(name);
  process.kill(before, 'SIGKILL');
  const after = (await restarted(stack, name, before))!;
  return { before, after };
}

/**
 * GET /api/v1/agents (a PostgreSQL read behind the token check) from 4 loops, a new connection
 * each time, until `until` settles: the count of each outcome (status code or error code).
 */
function requestsUntil(port: number, until: Promise<unknown>): { outcomes: Map<string, number>; done: Promise<void> } {
  const outcomes = new Map<string, number>();
  let over = false;
  void until.finally(() => (over = true));
  const one = () =>
    new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/agents', headers: { ...admin, Connection: 'close' }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.end();
    });
  const loop = async () => {
    while (!over) {
      const outcome = await one();
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // Nothing listens any more: no need to spin.
      if (outcome === 'ECONNREFUSED') await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { outcomes, done: Promise.all([loop(), loop(), loop(), loop()]).then(() => undefined) };
}

describe('npm start supervises the API, the worker, mail-in, Redis and PostgreSQL', () => {
  let dir: string;
  let stack: Launched;
  let token: string;
  let domain: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'helpdesk-supervise-'));
    stack = await launch(dir);
    ({ token, domain } = await customerToken(stack));
  }, START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    await stopAllLaunched();
    await rm(dir, { recursive: true, force: true });
  }, 90_000);

  it('shows every process it started on the worker health endpoint', async () => {
    const processes = await stack.processes();
    expect(processes.map((p) => [p.name, p.status, p.restarts])).toEqual([
      ['postgres', 'running', 0],
      ['redis', 'running', 0],
      ['api', 'running', 0],
      ['worker', 'running', 0],
      ['mail-in', 'running', 0],
    ]);
    expect(alive(processes.map((p) => p.pid!))).toHaveLength(5);
  });

  it("runs each app with its own runtime flags: the worker's larger young generation and lower heap limit, the API's shared ones", async () => {
    const nodeOptions = async (name: string) =>
      (await readFile(`/proc/${await stack.pidOf(name)}/environ`, 'utf8'))
        .split('\0')
        .find((entry) => entry.startsWith('NODE_OPTIONS='));
    // (followed by what the caller's own NODE_OPTIONS holds, if anything)
    expect(await nodeOptions('worker')).toMatch(/^NODE_OPTIONS=--max-semi-space-size=16 --max-old-space-size=512( |$)/);
    expect(await nodeOptions('api')).toMatch(/^NODE_OPTIONS=--max-semi-space-size=8 --max-old-space-size=1024( |$)/);
  });

  it('a killed worker is restarted while the API keeps accepting tickets, which the new worker triages; nothing else restarts', async () => {
    const others = (await stack.processes()).filter((p) => p.name !== 'worker');
    const before = await stack.pidOf('worker');
    process.kill(before, 'SIGKILL');
    // Accepted while no worker runs: the outbox holds their hand-off to triage.
    const tickets = [await fileTicket(stack, token, 'Outlook down during a worker restart'), await fileTicket(stack, token, 'Teams down too')];
    const after = (await restarted(stack, 'worker', before))!;
    expect(after.restarts).toBe(1);
    expect(after.lastExit).toBe('SIGKILL');
    for (const id of tickets) await eventually(() => ticketStatus(stack, id), (s) => s === 'triaged', RECOVERY_MS, `ticket ${id} triaged`);

    const now = await stack.processes();
    expect(now.filter((p) => p.name !== 'worker')).toEqual(others);
    expect(stack.launcherLines()).toEqual(
      expect.arrayContaining([`worker (pid ${before}) exited unexpectedly (SIGKILL); restarting it in 0.5 s`, `worker is running again (pid ${after.pid}, restart 1)`]),
    );
  }, 2 * RECOVERY_MS);

  it('a killed mail-in is restarted on its SMTP port and takes mail again, which becomes a triaged ticket; nothing else restarts', async () => {
    const others = (await stack.processes()).filter((p) => p.name !== 'mail-in');
    const { before, after } = await killAndWaitForRestart(stack, 'mail-in');
    expect([after.restarts, after.lastExit]).toEqual([1, 'SIGKILL']);
    const mid = messageId('restarted');
    const reply = await sendSmtp(stack.smtpPort, rawMail({ From: `Ana <ana@${domain}>`, Subject: 'Exchange down after a mail-in restart', 'Message-ID': mid }, 'Nada entra.'));
    expect(reply).toMatch(/^250 /);
    const id = /accepted as ([0-9a-f-]{36})/.exec(reply)![1];
    const stored = await stack.api.get(`/api/v1/inbound-email/${id}`).set(admin);
    expect(stored.body).toMatchObject({ status: 'ticket', subject: 'Exchange down after a mail-in restart' });
    await eventually(() => ticketStatus(stack, stored.body.ticketId), (s) => s === 'triaged', RECOVERY_MS, 'the mailed ticket triaged');
    expect((await stack.processes()).filter((p) => p.name !== 'mail-in')).toEqual(others);
    expect(stack.launcherLines()).toContain(`mail-in (pid ${before}) exited unexpectedly (SIGKILL); restarting it in 0.5 s`);
  }, 2 * RECOVERY_MS);

  it('a killed API is restarted and takes tickets again; nothing else restarts', async () => {
    const others = (await stack.processes()).filter((p) => p.name !== 'api');
    const { before, after } = await killAndWaitForRestart(stack, 'api');
    expect([after.restarts, after.lastExit]).toEqual([1, 'SIGKILL']);
    const id = await fileTicket(stack, token, 'SharePoint down after an API restart');
    await eventually(() => ticketStatus(stack, id), (s) => s === 'triaged', RECOVERY_MS, 'ticket triaged after the API restart');
    expect((await stack.processes()).filter((p) => p.name !== 'api')).toEqual(others);
    expect(stack.launcherLines()).toContain(`api (pid ${before}) exited unexpectedly (SIGKILL); restarting it in 0.5 s`);
  }, 2 * RECOVERY_MS);

  it('a killed redis-server is restarted on its port and data, and the stack recovers: tickets are accepted and triaged', async () => {
    const { after } = await killAndWaitForRestart(stack, 'redis');
    expect(after.restarts).toBe(1);
    await eventually(async () => (await stack.api.get('/health/ready')).status, (s) => s === 200, RECOVERY_MS, 'API ready again');
    const id = await fileTicket(stack, token, 'Billing portal down after a Redis restart');
    await eventually(() => ticketStatus(stack, id), (s) => s === 'triaged', RECOVERY_MS, 'ticket triaged after the Redis restart');
  }, 2 * RECOVERY_MS);

  it('a killed postgres is restarted on its port and data, and the stack recovers: tickets are accepted and triaged', async () => {
    const { after } = await killAndWaitForRestart(stack, 'postgres');
    expect(after.restarts).toBe(1);
    await eventually(async () => (await stack.api.get('/health/ready')).status, (s) => s === 200, RECOVERY_MS, 'API ready again');
    const accepted = await eventually(
      () => stack.api.post('/api/v1/tickets').set({ Authorization: `Bearer ${token}` }).send(ticketBody(undefined, { subject: 'Azure VM down' })),
      (res) => res.status === 201,
      RECOVERY_MS,
      'a ticket accepted after the PostgreSQL restart',
    );
    await eventually(() => ticketStatus(stack, accepted.body.id), (s) => s === 'triaged', RECOVERY_MS, 'ticket triaged after the PostgreSQL restart');
    expect((await stack.processes()).map((p) => p.status)).toEqual(['running', 'running', 'running', 'running', 'running']);
  }, 3 * RECOVERY_MS);

  it("a terminal's Ctrl-C (SIGINT to the whole process group) stops the API, the worker, Redis, PostgreSQL in that order, with no 500 while the API drains, and leaves no process", async () => {
    const pids = await everyPid(stack);
    const load = requestsUntil(stack.port, stack.exited);
    await eventually(async () => load.outcomes.get('200') ?? 0, (n) => n >= 5, 30_000, 'requests answered before the stop');

    process.kill(-stack.npm.pid!, 'SIGINT');
    expect(await stack.exited).toEqual({ code: 0, signal: null });
    await load.done;
    expect(stack.launcherLines('stopping')).toEqual(STOP_LINES);
    const outcomes = Object.fromEntries(load.outcomes);
    // Answered while PostgreSQL was up, or refused once the API had closed its port (a
    // connection still queued on the closing port is reset).
    expect(Object.keys(outcomes).filter((o) => !['200', '503', 'ECONNREFUSED', 'ECONNRESET'].includes(o))).toEqual([]);
    expect(outcomes['ECONNREFUSED']).toBeGreaterThan(0);
    expect(alive(pids)).toEqual([]);
    expect(leftFrom(stack, pids, dir)).toEqual([]);
  }, 90_000);

  it('gives up on a process after 5 crashes in a row, says so, leaves that one down, keeps the rest running, and still stops cleanly', async () => {
    await stopAllLaunched();
    // Again on the same data. The worker cannot finish its close while Redis is down: do not wait the default 30 s for it.
    stack = await launch(dir, { SHUTDOWN_TIMEOUT_MS: '3000' });
    for (let crash = 1; crash < 5; crash++) expect((await killAndWaitForRestart(stack, 'redis')).after.restarts).toBe(crash);
    const last = await stack.pidOf('redis');
    process.kill(last, 'SIGKILL');

    const redis = await eventually(() => stateOf(stack, 'redis'), (s) => s?.status === 'failed', RECOVERY_MS, 'redis given up');
    expect(redis).toEqual({ name: 'redis', pid: null, status: 'failed', restarts: 4, lastExit: 'SIGKILL' });
    // The state reaches the worker by IPC and the line reaches us through the launcher's stdout pipe: either may come
    // first, so wait for the line rather than read it once.
    const gaveUp =
      'GAVE UP on redis: it stopped 5 times in a row, each within 60 s of its start (last: SIGKILL). It stays down; ' +
      'everything else keeps running. Find the cause in its log above, then stop (Ctrl-C) and run npm start again.';
    await eventually(async () => stack.launcherLines(), (lines) => lines.includes(gaveUp), 5_000, 'the launcher saying it gave up');
    expect(alive([last])).toEqual([]);
    // Intake does not need Redis: the ticket waits in the outbox.
    await fileTicket(stack, token, 'Accepted with Redis given up');
    const ready = await stack.api.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('redis');
    expect((await stack.processes()).filter((p) => p.name !== 'redis').map((p) => p.status)).toEqual(['running', 'running', 'running', 'running']);

    const pids = [stack.npm.pid!, stack.launcherPid(), ...(await stack.processes()).filter((p) => p.pid).map((p) => p.pid!)];
    process.kill(stack.npm.pid!, 'SIGINT');
    expect(await stack.exited).toEqual({ code: 0, signal: null });
    expect(stack.launcherLines('stopping')).toEqual(STOP_LINES.map((l) => (l === 'redis stopped' ? 'redis was not running' : l)));
    expect(alive(pids)).toEqual([]);
    expect(leftFrom(stack, pids, dir)).toEqual([]);
  }, START_TIMEOUT_MS + 5 * RECOVERY_MS);
});
