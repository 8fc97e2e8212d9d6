import { AppConfig } from '@helpdesk/config';
import { poolOf } from '@helpdesk/database';
import { bulkConcurrency, TicketBulkService } from '@helpdesk/intake';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/**
 * Each ticket of a bulk request locks and writes the ticket with statements prepared on its
 * connection (planned once per connection, not per ticket), prepared already by the warm-up at
 * start. A migration that adds a column to `tickets` while the API runs makes those plans stale
 * (`SELECT *` / `RETURNING *`): the tickets' changes run again unprepared, each applied once.
 */
describe('the prepared statements of a bulk request', () => {
  let api: TestApi;
  let kept: number;
  let agent: { id: string; token: string };
  const ids: string[] = [];

  /** The names prepared on every idle connection of the API's pool, one list per session. */
  const preparedPerSession = async (): Promise<string[][]> => {
    const pool = poolOf(api.dataSource);
    // As many statements at once as the pool has connections, each held a moment: one per session.
    const rows = (await Promise.all(
      Array.from({ length: pool.totalCount }, () =>
        api.dataSource.query(`SELECT pg_backend_pid() AS pid, (SELECT coalesce(array_agg(name::text ORDER BY name), '{}') FROM pg_prepared_statements) AS names FROM pg_sleep(0.3)`),
      ),
    )) as Array<[{ pid: number; names: string[] }]>;
    return [...new Map(rows.map(([r]) => [r.pid, r.names])).values()];
  };

  /** Events of the bulk's agent per ticket of `ids`, by type. */
  const eventsOf = async (type: string): Promise<number[]> =>
    (
      (await api.dataSource.query(
        `SELECT count(e.*)::int AS n FROM unnest($1::uuid[]) AS t(id) LEFT JOIN ticket_events e ON e.ticket_id = t.id AND e.type = $2 AND e.actor_id = $3 GROUP BY t.id`,
        [ids, type, agent.id],
      )) as Array<{ n: number }>
    ).map((r) => r.n);

  beforeAll(async () => {
    api = await startTestApi();
    kept = bulkConcurrency(api.app.get(AppConfig).DATABASE_POOL_SIZE) + 1;
    const customer = await createCustomer(api, (await createPlan(api)).id);
    agent = await createAgent(api, ['helpdesk_agent']);
    for (let i = 0; i < 3 * kept; i++) ids.push((await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined)).expect(201)).body.id);
  });
  afterAll(async () => {
    await api.close();
  });

  it('are prepared on every kept connection by the warm-up at start, then used by a bulk', async () => {
    await api.app.get(TicketBulkService).keepConnectionsReady();
    // A new database has no closed ticket: the warm-up prepares the lock (on no row), not a write.
    expect((await preparedPerSession()).filter((names) => names.includes('tickets_lock')).length).toBeGreaterThanOrEqual(kept);

    const res = await api.http.post('/api/v1/tickets/bulk').set(bearer(agent.token)).send({ ids, set: { status: 'triaged', priority: 'P2' } });
    expect([res.status, res.body.succeeded, res.body.failed]).toEqual([200, ids.length, 0]);
    const sessions = await preparedPerSession();
    const writers = sessions.filter((names) => names.includes('tickets_lock') && names.some((n) => n.startsWith('ticket_change_')));
    expect(writers.length).toBeGreaterThanOrEqual(Math.min(kept - 1, ids.length));
    expect(await eventsOf('status_changed')).toEqual(ids.map(() => 1));
  });

  it('survive a migration adding a column to tickets while the API runs: every ticket changed once, no 500', async () => {
    await api.dataSource.query(`ALTER TABLE tickets ADD COLUMN bulk_prepared_probe text`);
    // The same column set as before (its plans now stale on every connection), then a new one.
    const again = await api.http.post('/api/v1/tickets/bulk').set(bearer(agent.token)).send({ ids, set: { status: 'in_progress', priority: 'P3' } });
    expect(again.body.results.filter((r: { ok: boolean }) => !r.ok)).toEqual([]);
    expect([again.status, again.body.succeeded, again.body.failed]).toEqual([200, ids.length, 0]);
    expect(await eventsOf('status_changed')).toEqual(ids.map(() => 2));
    expect(await eventsOf('priority_changed')).toEqual(ids.map(() => 2));

    const tagged = await api.http.post('/api/v1/tickets/bulk').set(bearer(agent.token)).send({ ids, set: { addTags: ['after-migration'] } });
    expect([tagged.status, tagged.body.succeeded, tagged.body.failed]).toEqual([200, ids.length, 0]);
    expect(await eventsOf('tags_changed')).toEqual(ids.map(() => 1));
    const [row] = await api.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'in_progress' AND priority = 'P3' AND tags = '{after-migration}')::int AS changed FROM tickets WHERE id = ANY($1)`,
      [ids],
    );
    expect(row.changed).toBe(ids.length);
  });
});
