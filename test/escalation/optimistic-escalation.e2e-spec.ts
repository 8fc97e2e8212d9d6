import { QueryRunner } from 'typeorm';
import { bearer, createCustomer, createPlan, startTestApi, TestApi } from '../support';
import { contract, escalate, eventually, NO_CONTRACT, putEntitlements, workedTicket } from './support';

/**
 * POST /escalations reads the ticket, its open escalation and the entitlements outside any
 * transaction, decides, and writes everything in one statement that applies only if the ticket and
 * the entitlements are still as read. These tests change them between the read and the write (a
 * real committed write from another connection) and check that the escalation is decided again on
 * what is there now, and that the races the unique index settles are still a 409.
 */
describe('escalating optimistically: read, decide, write if unchanged', () => {
  let api: TestApi;
  let customerId: string;

  beforeAll(async () => {
    api = await startTestApi();
    customerId = (await createCustomer(api, (await createPlan(api)).id)).id;
    await putEntitlements(api, 'gold', contract(100), contract(100));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await putEntitlements(api, 'gold', contract(100), contract(100));
  });
  afterAll(async () => {
    await api?.close();
  });

  const db = () => api.dataSource;

  /**
   * Makes `change` (committed, through another connection) just before the service sends its
   * write, i.e. between its read and its write, once. The statements still go to the real
   * PostgreSQL: the spy only delays the write until the change is made, and counts the statements.
   */
  function changeBetweenReadAndWrite(change: () => Promise<unknown>): () => { reads: number; writes: number } {
    const pool = (db().driver as unknown as { master: { query: (config: { name?: string }, ...rest: unknown[]) => Promise<unknown> } }).master;
    const query = pool.query.bind(pool);
    const seen = { reads: 0, writes: 0 };
    let done = false;
    jest.spyOn(pool, 'query').mockImplementation(async (config: { name?: string }, ...rest: unknown[]) => {
      if (config?.name === 'escalation-read-ticket-with-context') seen.reads++;
      if (config?.name === 'escalation-escalate') {
        seen.writes++;
        if (!done) {
          done = true;
          await change();
        }
      }
      return query(config, ...rest);
    });
    return () => seen;
  }

  /** The escalation's rows as they must be after exactly one accepted escalation. */
  async function onlyEscalation(ticketId: string) {
    const [row] = await db().query(
      `SELECT (SELECT count(*)::int FROM escalations WHERE ticket_id = $1) AS escalations,
              (SELECT count(*)::int FROM outbox o JOIN escalations e ON e.id::text = o.job_id WHERE e.ticket_id = $1) AS handoffs,
              (SELECT array_agg(type || coalesce(':' || (data->>'to'), '') ORDER BY seq) FROM ticket_events WHERE ticket_id = $1 AND (type = 'escalated' OR data->>'to' = 'escalated')) AS events,
              (SELECT status FROM tickets WHERE id = $1) AS status`,
      [ticketId],
    );
    return row;
  }

  it('decides again when the ticket changed between the read and the write (the tier follows the new priority)', async () => {
    const id = await workedTicket(api, customerId, { category: 'technical', priority: 'P3' });
    const seen = changeBetweenReadAndWrite(() => db().query(`UPDATE tickets SET priority = 'P1' WHERE id = $1`, [id]));
    const res = await escalate(api, id);
    // read, decide (P3), write: nothing (changed) → read, decide (P1), write
    expect(seen()).toEqual({ reads: 2, writes: 2 });
    expect(res.status).toBe(202);
    // P3 goes to signature_cloud; the ticket is P1 when the escalation is written → premier.
    expect(res.body.tier).toBe('premier');
    expect(await onlyEscalation(id)).toEqual({ escalations: 1, handoffs: 1, events: ['status_changed:escalated', 'escalated'], status: 'escalated' });
    const [ticket] = await db().query(`SELECT priority FROM tickets WHERE id = $1`, [id]);
    expect(ticket.priority).toBe('P1');
  });

  it('answers 409 when the ticket was resolved between the read and the write, and writes nothing', async () => {
    const id = await workedTicket(api, customerId, { category: 'billing', priority: 'P2' });
    const seen = changeBetweenReadAndWrite(() => db().query(`UPDATE tickets SET status = 'resolved', resolved_at = now() WHERE id = $1`, [id]));
    const res = await escalate(api, id);
    expect(seen()).toEqual({ reads: 2, writes: 1 });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/is resolved/);
    expect(await onlyEscalation(id)).toEqual({ escalations: 0, handoffs: 0, events: null, status: 'resolved' });
  });

  it('decides again when the entitlements changed between the read and the write', async () => {
    const id = await workedTicket(api, customerId, { category: 'technical', priority: 'P1' });
    // Read: an active Premier contract → premier. Written: Premier gone → the Advanced contract.
    const seen = changeBetweenReadAndWrite(() => putEntitlements(api, 'none', NO_CONTRACT, contract(8)));
    const res = await escalate(api, id);
    expect(seen()).toEqual({ reads: 2, writes: 2 });
    expect(res.status).toBe(202);
    expect(res.body.tier).toBe('advanced');
    expect(res.body.routing.considered.find((c: { tier: string }) => c.tier === 'premier')).toMatchObject({ eligible: false });
    expect(await onlyEscalation(id)).toMatchObject({ escalations: 1, handoffs: 1, status: 'escalated' });
  });

  it('waits for a concurrent change of the ticket, then decides on it (the write skips a row changed since its read)', async () => {
    const id = await workedTicket(api, customerId, { category: 'technical', priority: 'P4' });
    const other = await lockAndChange(`UPDATE tickets SET priority = 'P1' WHERE id = $1`, [id]);
    try {
      const pending = escalate(api, id).then((r) => r);
      await waitUntilBlockedOn(other);
      await other.commitTransaction();
      const res = await pending;
      expect([res.status, res.body.tier]).toEqual([202, 'premier']);
    } finally {
      await release(other);
    }
    expect(await onlyEscalation(id)).toEqual({ escalations: 1, handoffs: 1, events: ['status_changed:escalated', 'escalated'], status: 'escalated' });
  });

  it('still answers 409 when an open escalation appears that the read could not see (the unique index), and changes nothing', async () => {
    const id = await workedTicket(api, customerId, { category: 'billing', priority: 'P3' });
    // Another transaction has inserted an open escalation of this ticket but not committed yet.
    const other = await lockAndChange(
      `INSERT INTO escalations (id, ticket_id, tier, status, trigger, reason, routing, entitlements_snapshot, actor_kind)
       VALUES (gen_random_uuid(), $1, 'commercial', 'queued', 'manual', 'the other one', '{}', '{}', 'system')`,
      [id],
    );
    try {
      const pending = escalate(api, id).then((r) => r);
      await waitUntilBlockedOn(other); // our insert waits on the unique index entry of the other
      await other.commitTransaction();
      const res = await pending;
      expect(res.status).toBe(409);
      expect(res.body.detail).toMatch(/already has an open escalation/);
    } finally {
      await release(other);
    }
    // The statement failed as a whole: no ticket change, no events, no hand-off.
    const [row] = await db().query(
      `SELECT (SELECT status FROM tickets WHERE id = $1) AS status,
              (SELECT count(*)::int FROM ticket_events WHERE ticket_id = $1 AND (type = 'escalated' OR data->>'to' = 'escalated')) AS events,
              (SELECT count(*)::int FROM outbox o JOIN escalations e ON e.id::text = o.job_id WHERE e.ticket_id = $1) AS handoffs,
              (SELECT count(*)::int FROM escalations WHERE ticket_id = $1) AS escalations`,
      [id],
    );
    expect(row).toEqual({ status: 'in_progress', events: 0, handoffs: 0, escalations: 1 });
  });

  it('escalates a waiting_on_customer ticket with a paused SLA clock in a transaction that runs the clock (it resumes)', async () => {
    const id = await workedTicket(api, customerId, { category: 'technical', priority: 'P2', status: 'in_progress' });
    await db().query(`UPDATE tickets SET sla_started_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    const waiting = await api.http.patch(`/api/v1/tickets/${id}`).set(bearer(api.adminToken)).send({ status: 'waiting_on_customer' });
    expect(waiting.status).toBe(200);
    const [paused] = await db().query(`SELECT sla_paused_since FROM tickets WHERE id = $1`, [id]);
    expect(paused.sla_paused_since).not.toBeNull();

    const res = await escalate(api, id);
    expect(res.status).toBe(202);
    const [row] = await db().query(
      `SELECT status, sla_paused_since, (SELECT array_agg(type ORDER BY seq) FROM ticket_events e WHERE e.ticket_id = t.id AND e.seq > (
                SELECT max(seq) FROM ticket_events WHERE ticket_id = t.id AND type = 'sla_paused')) AS since_pause
         FROM tickets t WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'escalated', sla_paused_since: null, since_pause: ['status_changed', 'sla_resumed', 'escalated'] });
  });

  // ---- helpers -------------------------------------------------------------------------------

  /** A transaction on its own connection that has made `sql` and not committed yet. */
  async function lockAndChange(sql: string, params: unknown[]): Promise<QueryRunner> {
    const runner = db().createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(sql, params);
    return runner;
  }

  /** Until a backend of this database waits for a lock held by `other`'s transaction. */
  async function waitUntilBlockedOn(other: QueryRunner): Promise<void> {
    const [{ pid }] = await other.query(`SELECT pg_backend_pid() AS pid`);
    await eventually(
      () => db().query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [pid]),
      (rows: Array<{ n: number }>) => rows[0].n > 0,
      10_000,
    );
  }

  async function release(runner: QueryRunner): Promise<void> {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
});
