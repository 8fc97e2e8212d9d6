import type { QueryRunner } from 'typeorm';
import { StaffRole } from '@helpdesk/auth';
import { BULK_TICKET_BEGIN, TicketsService } from '@helpdesk/intake';
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, TestApi, ticketBody } from '../support';

/**
 * A bulk change writes its assignee's open-ticket counter at each ticket's commit (so the changes
 * of one bulk assigning one agent run side by side): the counter must stay exact whatever runs at
 * the same time, and auto-assignment (`pick_agent`) must never pass an agent's cap because of it.
 */
describe('bulk changes and agents\' open-ticket counters', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let agent: { id: string; token: string };

  const newTickets = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined)).expect(201)).body.id);
    return ids;
  };
  const patch = (id: string, body: object) => api.http.patch(`/api/v1/tickets/${id}`).set(bearer(agent.token)).send(body);
  const bulk = (ids: string[], set: object) => api.http.post('/api/v1/tickets/bulk').set(bearer(agent.token)).send({ ids, set });
  /** The counter and the tickets it counts. */
  const counted = async (agentId: string) => {
    const [row] = await api.dataSource.query(
      `SELECT a.open_tickets AS counter,
              (SELECT count(*)::int FROM tickets t WHERE t.assignee_id = a.id AND t.status NOT IN ('resolved', 'closed')) AS actual
         FROM agents a WHERE a.id = $1`,
      [agentId],
    );
    return row as { counter: number; actual: number };
  };

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api)).id);
    agent = await createAgent(api, ['helpdesk_agent']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('keeps the counters exact while bulk changes, reassignments and resolutions of the same agents run at once', async () => {
    const x = await createAgent(api, ['helpdesk_agent']);
    const y = await createAgent(api, ['helpdesk_agent']);
    const held = await newTickets(20);
    const applied = (res: { status: number; body: { succeeded?: number } }) => [res.status, res.body.succeeded];
    expect(applied(await bulk(held, { status: 'triaged' }))).toEqual([200, 20]);
    expect(applied(await bulk(held, { status: 'in_progress', assigneeId: x.id }))).toEqual([200, 20]);
    expect(await counted(x.id)).toEqual({ counter: 20, actual: 20 });
    const toX = await newTickets(40);
    const toY = await newTickets(20);

    const [bulkX, bulkY, ...patches] = await Promise.all([
      bulk(toX, { assigneeId: x.id, addTags: ['race'] }),
      bulk(toY, { assigneeId: y.id }),
      ...held.slice(0, 10).map((id) => patch(id, { status: 'resolved' })),
      ...held.slice(10).map((id) => patch(id, { assigneeId: y.id })),
    ]);
    expect([bulkX.status, bulkX.body.succeeded, bulkY.status, bulkY.body.succeeded]).toEqual([200, 40, 200, 20]);
    expect(patches.map((p) => p.status)).toEqual(Array(20).fill(200));
    // x: 20 held − 10 resolved − 10 handed over + 40 by bulk; y: 10 handed over + 20 by bulk.
    expect(await counted(x.id)).toEqual({ counter: 40, actual: 40 });
    expect(await counted(y.id)).toEqual({ counter: 30, actual: 30 });

    // Taking them back in bulk (the earlier assignee's counter goes down at each commit too).
    expect(applied(await bulk([...toY, ...held.slice(10)], { assigneeId: x.id }))).toEqual([200, 30]);
    expect(await counted(x.id)).toEqual({ counter: 70, actual: 70 });
    expect(await counted(y.id)).toEqual({ counter: 0, actual: 0 });
  });

  it('lets no auto-assignment pass a cap while a bulk change assigning that agent has not committed', async () => {
    const queue = 'deferred-cap';
    const z = await createAgent(api, ['helpdesk_agent']);
    await api.http.patch(`/api/v1/agents/${z.id}`).set(bearer(api.adminToken)).send({ queues: [queue], maxOpenTickets: 2, available: true }).expect(200);
    const [first, second] = await newTickets(2);
    expect((await patch(first, { assigneeId: z.id })).status).toBe(200);
    expect(await counted(z.id)).toEqual({ counter: 1, actual: 1 });

    const [{ id: tokenId }] = await api.dataSource.query(`SELECT id FROM api_tokens WHERE agent_id = $1`, [agent.id]);
    const principal = { kind: 'staff' as const, agentId: agent.id, roles: [StaffRole.HelpdeskAgent], tokenId };
    const runners: QueryRunner[] = [];
    const connection = async () => {
      const runner = api.dataSource.createQueryRunner();
      runners.push(runner);
      await runner.connect();
      return runner;
    };
    try {
      // One ticket of a bulk change, as TicketBulkService runs it: written, not committed yet.
      const inBulk = await connection();
      await inBulk.query(BULK_TICKET_BEGIN);
      await api.app.get(TicketsService).change(inBulk.manager, principal, second, { assigneeId: z.id });
      expect(await counted(z.id)).toEqual({ counter: 1, actual: 1 });

      // Triage's batch skips agents others hold: z is held, so nobody now (and "busy": try later).
      const skipping = await connection();
      await skipping.query('START TRANSACTION');
      expect(await skipping.query(`SELECT agent_id, busy FROM pick_agent($1, now(), false)`, [queue])).toEqual([{ agent_id: null, busy: true }]);
      await skipping.query('ROLLBACK');

      // A single assignment waits for z, and after the bulk's commit finds z at the cap: nobody.
      const waiting = await connection();
      await waiting.query('START TRANSACTION');
      const [{ pid }] = await waiting.query('SELECT pg_backend_pid() AS pid');
      const picked = waiting.query(`SELECT agent_id, busy FROM pick_agent($1, now(), true)`, [queue]) as Promise<unknown[]>;
      await eventually(
        async () => (await api.dataSource.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]))[0]?.wait_event_type,
        (w) => w === 'Lock',
        10_000,
        'pick_agent waiting for the agent',
      );
      await inBulk.query('COMMIT');
      expect(await picked).toEqual([{ agent_id: null, busy: false }]);
      await waiting.query('ROLLBACK');
    } finally {
      // Begun by hand: TypeORM does not know; a ROLLBACK outside a transaction only warns.
      for (const runner of runners) {
        await runner.query('ROLLBACK').catch(() => undefined);
        await runner.release();
      }
    }
    expect(await counted(z.id)).toEqual({ counter: 2, actual: 2 });

    // Under the cap again, auto-assignment takes z at once.
    expect((await patch(first, { status: 'triaged' })).status).toBe(200);
    expect((await patch(first, { status: 'in_progress' })).status).toBe(200);
    expect((await patch(first, { status: 'resolved' })).status).toBe(200);
    expect(await counted(z.id)).toEqual({ counter: 1, actual: 1 });
    expect(await api.dataSource.transaction((m) => m.query(`SELECT agent_id FROM pick_agent($1, now(), false)`, [queue]))).toEqual([{ agent_id: z.id }]);
  });

  it('refuses to assign a deactivated agent even when the deactivation waited for a bulk change\'s commit', async () => {
    const w = await createAgent(api, ['helpdesk_agent']);
    const [ticket] = await newTickets(1);
    const [{ id: tokenId }] = await api.dataSource.query(`SELECT id FROM api_tokens WHERE agent_id = $1`, [agent.id]);
    const principal = { kind: 'staff' as const, agentId: agent.id, roles: [StaffRole.HelpdeskAgent], tokenId };
    const inBulk = api.dataSource.createQueryRunner();
    await inBulk.connect();
    try {
      await inBulk.query(BULK_TICKET_BEGIN);
      await api.app.get(TicketsService).change(inBulk.manager, principal, ticket, { assigneeId: w.id });
      // The deactivation waits for the bulk's lock on the agent, then hands the ticket back to its queue.
      const deactivated = api.http.post(`/api/v1/agents/${w.id}/deactivate`).set(bearer(api.adminToken)).then((r) => r);
      await eventually(
        async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0].n,
        (n) => n > 0,
        10_000,
        'the deactivation waiting for the agent',
      );
      await inBulk.query('COMMIT');
      expect((await deactivated).status).toBe(200);
    } finally {
      await inBulk.query('ROLLBACK').catch(() => undefined);
      await inBulk.release();
    }
    expect((await api.http.get(`/api/v1/tickets/${ticket}`).set(bearer(agent.token))).body.assigneeId).toBeNull();
    expect(await counted(w.id)).toEqual({ counter: 0, actual: 0 });
    // And a change after the deactivation is refused.
    expect((await patch(ticket, { assigneeId: w.id })).status).toBe(409);
  });
});
