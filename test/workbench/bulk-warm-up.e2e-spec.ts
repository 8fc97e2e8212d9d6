import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { poolOf } from '@helpdesk/database';
import { bulkConcurrency, TicketBulkService } from '@helpdesk/intake';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

/**
 * As the API starts, each connection a bulk request uses changes one closed ticket for real (every
 * field a bulk change sets, with its triggers and checks) and rolls it back: it leaves no trace, and
 * holds no ticket a user then waits for.
 */
describe('the bulk warm-up at start', () => {
  const adminToken = `hds_test_${randomBytes(16).toString('hex')}`;
  const env = { BOOTSTRAP_ADMIN_TOKEN: adminToken };
  let first: TestApi;
  let api: TestApi | undefined;
  /** Closed tickets, oldest first; one more than a warm-up uses. */
  let closed: string[];
  let kept: number;

  /** Everything a ticket change writes or could write (rows, timeline, outbox, audit, counters, search), as one comparable value. */
  const traces = async (ds: DataSource) =>
    (
      await ds.query(`
        SELECT (SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM tickets t) AS tickets,
               (SELECT count(*)::int FROM ticket_events) AS events,
               (SELECT count(*)::int FROM outbox) AS outbox,
               (SELECT count(*)::int FROM audit_log) AS audit,
               (SELECT count(*)::int FROM ticket_tag_count_deltas) AS tag_deltas,
               (SELECT count(*)::int FROM ticket_queue_counter_deltas) AS queue_deltas,
               (SELECT md5(string_agg(a.id || ':' || a.open_tickets, ',' ORDER BY a.id)) FROM agents a) AS agents,
               (SELECT md5(string_agg(s::text, '|' ORDER BY s::text)) FROM ticket_search s) AS search`)
    )[0] as Record<string, unknown>;

  beforeAll(async () => {
    first = await startTestApi({ env });
    kept = bulkConcurrency(first.app.get(AppConfig).DATABASE_POOL_SIZE) + 1;
    const customer = await createCustomer(first, (await createPlan(first)).id);
    await createAgent(first, ['helpdesk_agent']);
    const ids: string[] = [];
    for (let i = 0; i < kept + 3; i++) ids.push((await first.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined)).expect(201)).body.id);
    // Closed as worked tickets end: categorised, their clock started and stopped.
    const rows: Array<{ id: string }> = await first.dataSource.query(
      `WITH c AS (
         UPDATE tickets SET status = 'closed', category = 'technical', priority = 'P3', sla_started_at = created_at, resolved_at = now(),
                first_response_due_at = now(), first_response_warn_at = now(), resolution_due_at = now(), resolution_warn_at = now()
          WHERE id = ANY($1) RETURNING id, number)
       SELECT id FROM c ORDER BY number`,
      [ids.slice(0, kept + 1)],
    );
    closed = rows.map((r) => r.id);
    expect(closed).toHaveLength(kept + 1);
    await first.close({ keepDatabase: true });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('changes a closed ticket on every kept connection and leaves no trace of it', async () => {
    const ds = await traceSource(first);
    const before = await traces(ds);
    api = await startTestApi({ database: first.database, env });
    const warmUp = await api.app.get(TicketBulkService).keepConnectionsReady();
    expect(warmUp).toEqual({ connections: kept, rowChanges: kept });
    expect(await traces(api.dataSource)).toEqual(before);
    await ds.destroy();

    // Each kept session holds the bulk's lock and the warm-up's write prepared (a statement at once on every connection of the pool).
    const held = (await Promise.all(
      Array.from({ length: poolOf(api.dataSource).totalCount }, () =>
        api!.dataSource.query(`SELECT pg_backend_pid() AS pid, (SELECT coalesce(array_agg(name::text), '{}') FROM pg_prepared_statements) AS names FROM pg_sleep(0.3)`),
      ),
    )) as Array<[{ pid: number; names: string[] }]>;
    const warmed = new Set(held.filter(([r]) => r.names.includes('tickets_lock') && r.names.some((n) => n.startsWith('ticket_change_'))).map(([r]) => r.pid));
    expect(warmed.size).toBe(kept);

    // No lock left behind: every closed ticket can be locked at once, without waiting.
    await api.dataSource.transaction(async (m) => {
      const locked = await m.query(`SELECT id FROM tickets WHERE id = ANY($1) FOR UPDATE NOWAIT`, [closed]);
      expect(locked).toHaveLength(closed.length);
    });
  });

  it('leaves the tickets it used editable by a PATCH, with exactly that PATCH’s event', async () => {
    const res = await api!.http.patch(`/api/v1/tickets/${closed[0]}`).set(bearer(adminToken)).send({ priority: 'P1', addTags: ['after-start'] });
    expect(res.status).toBe(200);
    expect([res.body.status, res.body.priority, res.body.tags]).toEqual(['closed', 'P1', ['after-start']]);
    const events: Array<{ type: string }> = await api!.dataSource.query(`SELECT type FROM ticket_events WHERE ticket_id = $1 AND type <> 'created' ORDER BY seq`, [closed[0]]);
    expect(events.map((e) => e.type)).toEqual(['priority_changed', 'tags_changed']);
  });

  it('does not hold up a PATCH of the oldest closed ticket sent the moment the API listens', async () => {
    await api!.close({ keepDatabase: true });
    api = await startTestApi({ database: first.database, env });
    const started = Date.now();
    // Sent while the warm-up runs: it waits for the warm-up's rollback at worst, never for its limits.
    const res = await api.http.patch(`/api/v1/tickets/${closed[0]}`).set(bearer(adminToken)).send({ priority: 'P2' });
    expect([res.status, res.body.priority]).toEqual([200, 'P2']);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The warm-up took the next closed tickets instead (or this one after the PATCH): each connection still changed one.
    expect((await api.app.get(TicketBulkService).keepConnectionsReady()).rowChanges).toBe(kept);
    const [row] = await api.dataSource.query(`SELECT priority, status, tags FROM tickets WHERE id = $1`, [closed[0]]);
    expect(row).toEqual({ priority: 'P2', status: 'closed', tags: ['after-start'] });
  });
});

/** A connection of the test's own to the API's database while no API runs. */
async function traceSource(api: TestApi): Promise<DataSource> {
  const { DataSource: Source } = await import('typeorm');
  const ds = new Source({ type: 'postgres', url: api.database.url });
  return ds.initialize();
}
