import { READ_TICKET_WITH_CONTEXT } from '@helpdesk/escalation';
import { createCustomer, createPlan, startTestApi, TestApi } from '../support';
import { escalate, NO_CONTRACT, putEntitlements, workedTicket } from './support';

/**
 * POST /escalations prepares its statements on the transaction's connection. A migration run by
 * another process (rolling deploy) that changes the columns of `tickets` or `escalations` makes
 * PostgreSQL refuse those prepared statements ("cached plan must not change result type"): the
 * escalation is then made again unprepared instead of failing. Two pooled connections, both
 * used by concurrent escalations before the change, so the next request meets a prepared statement.
 */
describe('escalating after a migration changed the tables under prepared statements', () => {
  let api: TestApi;
  let customerId: string;

  beforeAll(async () => {
    api = await startTestApi({ env: { DATABASE_POOL_SIZE: '2' } });
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'none', NO_CONTRACT, NO_CONTRACT);
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['tickets', 'ALTER TABLE tickets ADD COLUMN rolling_deploy_probe text'],
    ['escalations', 'ALTER TABLE escalations ADD COLUMN rolling_deploy_probe text'],
  ])('still answers 202 once %s has a new column, with one escalation, event and hand-off', async (_table, ddl) => {
    const tickets: string[] = [];
    for (let i = 0; i < 5; i++) tickets.push(await workedTicket(api, customerId, { category: 'billing', priority: 'P3' }));
    const after = tickets.pop()!;
    // Concurrent: each transaction holds its own connection, so both prepare the statements.
    expect((await Promise.all(tickets.map((t) => escalate(api, t)))).map((r) => r.status)).toEqual([202, 202, 202, 202]);
    await api.dataSource.query(ddl);

    const res = await escalate(api, after);
    expect([res.status, res.body.tier, res.body.status]).toEqual([202, 'commercial', 'queued']);
    const [counts] = await api.dataSource.query(
      `SELECT (SELECT count(*)::int FROM escalations WHERE ticket_id = $1) AS escalations,
              (SELECT count(*)::int FROM ticket_events WHERE ticket_id = $1 AND type = 'escalated') AS events,
              (SELECT count(*)::int FROM outbox WHERE job_id = $2) AS handoffs,
              (SELECT status FROM tickets WHERE id = $1) AS status`,
      [after, res.body.id],
    );
    expect(counts).toEqual({ escalations: 1, events: 1, handoffs: 1, status: 'escalated' });
  });

  it('finds the open escalation through its partial unique index in a generic plan too (no scan of every escalation)', async () => {
    // A prepared statement runs on a generic plan once PostgreSQL finds it no dearer than custom
    // ones; the open statuses must then be literals for the partial index's predicate to be proven.
    const runner = api.dataSource.createQueryRunner();
    try {
      await runner.query(`SET plan_cache_mode = force_generic_plan`);
      await runner.query(`PREPARE escalation_read_probe AS ${READ_TICKET_WITH_CONTEXT.text}`);
      const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN EXECUTE escalation_read_probe('6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10')`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/escalations_open_ticket_key on escalations o/);
      expect(plan).not.toMatch(/Seq Scan on escalations/);
    } finally {
      await runner.query(`DEALLOCATE escalation_read_probe`).catch(() => undefined);
      await runner.query(`RESET plan_cache_mode`);
      await runner.release();
    }
  });
});
