import { AppConfig } from '@helpdesk/config';
import { poolOf } from '@helpdesk/database';
import { bulkConcurrency, TicketBulkService } from '@helpdesk/intake';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/**
 * The API opens the connections a bulk request uses as it starts (its ticket changes in flight and
 * the claim of its Idempotency-Key) and keeps them however long they sit idle: the first
 * `POST /tickets/bulk` after a start or a quiet spell opens no PostgreSQL session of its own.
 */
describe('the connections of bulk requests', () => {
  let api: TestApi;
  let kept: number;

  /** The PostgreSQL sessions of the API's pool. */
  const sessions = async () =>
    ((await api.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'helpdesk'`)) as Array<{ pid: number }>)
      .map((r) => r.pid)
      .sort((a, b) => a - b);

  beforeAll(async () => {
    api = await startTestApi();
    kept = bulkConcurrency(api.app.get(AppConfig).DATABASE_POOL_SIZE) + 1;
  });
  afterAll(async () => {
    await api.close();
  });

  it('are open and kept once the API has started, beyond the idle timeout', async () => {
    // The same warm-up the API began as it started (once per process): this waits for it.
    expect((await api.app.get(TicketBulkService).keepConnectionsReady()).connections).toBe(kept);
    expect(kept).toBeGreaterThan(2);
    const pool = poolOf(api.dataSource) as ReturnType<typeof poolOf> & { options: { idleTimeoutMillis?: number } };
    expect(pool.totalCount).toBeGreaterThanOrEqual(kept);

    // More than those at once, then a quiet spell past the idle timeout (shortened here): the
    // connections above them close, those stay.
    pool.options.idleTimeoutMillis = 200;
    const burst = (await Promise.all(Array.from({ length: kept + 3 }, () => api.dataSource.query(`SELECT pg_backend_pid() AS pid, pg_sleep(0.3)`)))) as Array<[{ pid: number }]>;
    expect(new Set(burst.map(([r]) => r.pid)).size).toBe(kept + 3);
    for (const until = Date.now() + 10_000; pool.totalCount > kept && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 600));
    expect(pool.totalCount).toBe(kept);
    expect(await sessions()).toHaveLength(kept);
  });

  it('serve a bulk request of more tickets than it changes at once without a new session', async () => {
    const customer = await createCustomer(api, (await createPlan(api)).id);
    const agent = await createAgent(api, ['helpdesk_agent']);
    const ids: string[] = [];
    for (let i = 0; i < 3 * kept; i++) ids.push((await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined)).expect(201)).body.id);
    const before = await sessions();

    const res = await api.http
      .post('/api/v1/tickets/bulk')
      .set(bearer(agent.token))
      .set('Idempotency-Key', `warm-${Date.now()}`)
      .send({ ids, set: { status: 'triaged', priority: 'P2', assigneeId: agent.id, addTags: ['warm'] } });
    expect([res.status, res.body.succeeded, res.body.failed]).toEqual([200, ids.length, 0]);
    const after = await sessions();
    expect(after).toEqual(before);

    // The warm-up changed nothing: every ticket has exactly the bulk's change and its events.
    const [row] = await api.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'triaged' AND assignee_id = $2 AND 'warm' = ANY(tags))::int AS changed,
              (SELECT count(*)::int FROM ticket_events WHERE ticket_id = ANY($1) AND actor_id = $2) AS events
         FROM tickets WHERE id = ANY($1)`,
      [ids, agent.id],
    );
    expect(row.changed).toBe(ids.length);
    expect(row.events).toBe(ids.length * 4);
  });
});
