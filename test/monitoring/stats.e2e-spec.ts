import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { CounterCompactor } from '@helpdesk/monitoring';
import { ALL_QUEUES } from '@helpdesk/queue';
import { CounterDeltasVacuumedOften1764005750000 } from '../../libs/database/src/migrations/1764005750000-CounterDeltasVacuumedOften';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, startTestWorker, TestApi, ticketBody } from '../support';

describe('queue stats for managers', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let customer: { id: string; token: string };

  const stats = async (token = api.adminToken) => api.http.get('/api/v1/queues/stats').set(bearer(token));
  const post = (subject: string, description: string, extra: object = {}) =>
    api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject, description, ...extra }));

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api, { businessHours: [], holidays: [] })).id);
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: JSON.parse(process.env.HELPDESK_TEST_STACK!).redisUrl, QUEUE_PREFIX: api.queuePrefix });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('reflects a known set of tickets and escalations exactly', async () => {
    const billingAgent = await createAgent(api, ['helpdesk_agent']);
    await api.http.patch(`/api/v1/agents/${billingAgent.id}`).set(bearer(api.adminToken)).send({ queues: ['billing'], maxOpenTickets: 1 }).expect(200);
    const billing = [
      await post('Factura duplicada', 'La factura llegó dos veces', { severity: 'P1' }),
      await post('Invoice question', 'Where is my invoice?'),
      await post('Refund', 'Please refund the charge'),
    ].map((r) => r.body.id as string);
    const technical = [await post('Azure VM slow', 'The VM is slow'), await post('Teams', 'Teams crashes')].map((r) => r.body.id as string);
    const all = [...billing, ...technical];
    await eventually(
      async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM tickets WHERE id = ANY($1::uuid[]) AND status = 'triaged'`, [all]))[0].n,
      (n) => n === 5,
      20_000,
      'all triaged',
    );
    const admin = bearer(api.adminToken);
    // One technical ticket worked and resolved, one waiting on the customer.
    for (const status of ['in_progress', 'resolved']) await api.http.patch(`/api/v1/tickets/${technical[0]}`).set(admin).send({ status }).expect(200);
    for (const status of ['in_progress', 'waiting_on_customer']) await api.http.patch(`/api/v1/tickets/${technical[1]}`).set(admin).send({ status }).expect(200);
    // The monitor's verdicts (set directly: the monitor is tested elsewhere): one at risk, one breached in billing.
    await api.dataSource.query(`UPDATE tickets SET sla_first_response_warned = true WHERE id = $1`, [billing[1]]);
    await api.dataSource.query(`UPDATE tickets SET sla_resolution_warned = true, sla_resolution_breached = true WHERE id = $1`, [billing[2]]);
    // Escalations: two queued premier, one failed commercial, one submitted advanced 1.5 s after creation.
    const esc = (tier: string, status: string, extra = '') =>
      api.dataSource.query(
        `INSERT INTO escalations (id, ticket_id, tier, status, trigger, reason, routing, entitlements_snapshot, actor_kind, created_at, submitted_at)
         VALUES ($1, $2, $3, $4, 'manual', 'r', '{}', '{}', 'system', now() - interval '10 minutes', ${extra || 'NULL'})`,
        [randomUUID(), all.shift(), tier, status],
      );
    const ticketsForEsc = [...billing, ...technical];
    all.splice(0, all.length, ...ticketsForEsc);
    await esc('premier', 'queued');
    await esc('premier', 'queued');
    await esc('commercial', 'failed');
    await esc('advanced', 'submitted', `now() - interval '10 minutes' + interval '1500 milliseconds'`);

    const res = await stats();
    expect(res.status).toBe(200);
    const byQueue = Object.fromEntries(res.body.ticketQueues.map((q: { queue: string }) => [q.queue, q]));
    expect(byQueue.billing).toEqual({
      queue: 'billing',
      open: 3,
      unassigned: 2,
      byStatus: { triaged: 3 },
      byPriority: { P1: 1, P3: 2 },
      slaAtRisk: 1,
      slaBreached: 1,
      oldestOpenAt: expect.any(String),
    });
    expect(byQueue.technical).toMatchObject({ queue: 'technical', open: 1, unassigned: 1, byStatus: { resolved: 1, waiting_on_customer: 1 }, byPriority: { P3: 1 }, slaAtRisk: 0, slaBreached: 0 });
    const firstBilling = await api.http.get(`/api/v1/tickets/${billing[0]}`).set(admin);
    expect(byQueue.billing.oldestOpenAt).toBe(firstBilling.body.createdAt);

    const tiers = Object.fromEntries(res.body.escalations.map((e: { tier: string }) => [e.tier, e]));
    expect(tiers.premier).toEqual({ tier: 'premier', queued: 2, awaitingVendorCase: 0, submitted: 0, acknowledged: 0, failed: 0, deliveredLastHour: 0, p95DeliveryMs: null });
    expect(tiers.commercial).toMatchObject({ failed: 1, queued: 0 });
    expect(tiers.advanced).toMatchObject({ submitted: 1, deliveredLastHour: 1, p95DeliveryMs: 1500 });
    expect(tiers.signature_cloud).toMatchObject({ queued: 0, submitted: 0 });

    expect(res.body.jobQueues.map((j: { name: string }) => j.name).sort()).toEqual([...ALL_QUEUES].sort());
    const triageJobs = res.body.jobQueues.find((j: { name: string }) => j.name === 'triage');
    expect(triageJobs).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    expect(res.body.workers.find((w: { queue: string }) => w.queue === 'triage').count).toBeGreaterThanOrEqual(1);
    expect(new Date(res.body.at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Folding the deltas into the counters changes nothing that is shown.
    expect(await worker.get(CounterCompactor).compact()).toBeGreaterThanOrEqual(0);
    const deltas = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_queue_counter_deltas`);
    expect(deltas[0].n).toBe(0);
    const again = await stats();
    expect(again.body.ticketQueues).toEqual(res.body.ticketQueues);

    // One CLIENT LIST read for every queue counts what BullMQ's own per-queue count does.
    for (const { queue, count } of res.body.workers as Array<{ queue: string; count: number }>) {
      expect([queue, count]).toEqual([queue, await api.app.get<Queue>(getQueueToken(queue), { strict: false }).getWorkersCount()]);
    }
    expect(res.body.workers.map((w: { queue: string }) => w.queue).sort()).toEqual([...ALL_QUEUES].sort());
  });

  it('keeps the counters equal to a full recount after many changes', async () => {
    const recount = await api.dataSource.query(
      `SELECT COALESCE(queue,'') AS queue, status, priority, assignee_id IS NULL AS unassigned, count(*)::int AS n FROM tickets GROUP BY 1,2,3,4 ORDER BY 1,2,3,4`,
    );
    const counted = await api.dataSource.query(
      `SELECT queue, status, priority, unassigned, sum(n)::int AS n FROM (SELECT queue, status, priority, unassigned, n FROM ticket_queue_counters UNION ALL SELECT queue, status, priority, unassigned, n FROM ticket_queue_counter_deltas) c
        GROUP BY 1,2,3,4 HAVING sum(n) <> 0 ORDER BY 1,2,3,4`,
    );
    expect(counted).toEqual(recount);
  });

  it('has its delta table vacuumed after 100 dead rows whatever its size estimate, so the fold does not read a burst of dead rows; the migration reverts cleanly', async () => {
    const options = async (runner: { query: (sql: string) => Promise<Array<{ o: string[] }>> }): Promise<string[]> =>
      [...(await runner.query(`SELECT coalesce(reloptions, '{}') AS o FROM pg_class WHERE relname = 'ticket_queue_counter_deltas'`))[0].o].sort();
    const VACUUM_OFTEN = ['autovacuum_vacuum_insert_scale_factor=0', 'autovacuum_vacuum_insert_threshold=1000', 'autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=100'];
    expect(await options(api.dataSource)).toEqual(VACUUM_OFTEN);
    // The threshold autovacuum compares the dead rows with (its rule: threshold + scale factor × reltuples), with a stale estimate of a million rows: 100, not 200,050.
    const [{ due }] = await api.dataSource.query(
      `SELECT (SELECT split_part(o, '=', 2)::float FROM unnest(reloptions) o WHERE o LIKE 'autovacuum_vacuum_threshold=%')
            + (SELECT split_part(o, '=', 2)::float FROM unnest(reloptions) o WHERE o LIKE 'autovacuum_vacuum_scale_factor=%') * 1000000 AS due
         FROM pg_class WHERE relname = 'ticket_queue_counter_deltas'`,
    );
    expect(due).toBe(100);
    const runner = api.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new CounterDeltasVacuumedOften1764005750000();
      await migration.down(runner);
      expect(await options(runner)).toEqual([]);
      await migration.up(runner);
      expect(await options(runner)).toEqual(VACUUM_OFTEN);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('is for managers only', async () => {
    const agent = await createAgent(api, ['helpdesk_agent']);
    expect((await stats(agent.token)).status).toBe(403);
    const manager = await createAgent(api, ['admin_agent']);
    expect((await stats(manager.token)).status).toBe(200);
    expect((await api.http.get('/api/v1/queues/stats')).status).toBe(401);
  });
});
