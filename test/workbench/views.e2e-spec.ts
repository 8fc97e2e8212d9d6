import { TicketsVacuumedOften1764005590000 } from '../../libs/database/src/migrations/1764005590000-TicketsVacuumedOften';
import { CounterCompactor } from '@helpdesk/monitoring';
import { COUNT_MAX_AGE_MS, TagCountsCompactor } from '@helpdesk/workbench';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

const BUILT_IN = ['my-open', 'unassigned-in-my-queues', 'breaching-soon', 'waiting-on-customer', 'escalated'];

interface ViewBody {
  id: string;
  kind: string;
  name: string;
  names?: { en: string; es: string };
  count: number;
  countCapped: boolean;
  filter: Record<string, unknown>;
  sort: string;
}

/** Saved views (personal, shared, built-in) with live counts, and the tags in use. */
describe('saved views and tags', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let ana: { id: string; token: string };
  let bruno: { id: string; token: string };
  let lead: { id: string; token: string };
  let sales: { id: string; token: string };

  const newTicket = async (columns: Record<string, unknown> = {}, customerId = customer.id) => {
    const res = await api.http.post('/api/v1/tickets').set(bearer(ana.token)).send(ticketBody(customerId));
    expect(res.status).toBe(201);
    const names = Object.keys(columns);
    // Test set-up of what triage, the SLA clock or escalation would have written.
    if (names.length) {
      await api.dataSource.query(`UPDATE tickets SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [res.body.id, ...names.map((c) => columns[c])]);
    }
    return res.body as { id: string; number: string };
  };
  const views = async (token: string): Promise<ViewBody[]> => {
    const res = await api.http.get('/api/v1/views').set(bearer(token));
    expect(res.status).toBe(200);
    return res.body;
  };
  const countOf = async (token: string, id: string) => (await views(token)).find((v) => v.id === id)!.count;
  /**
   * A count that the writes' counters do not hold (tags, a search, breaching soon…) is shared across
   * callers for a second: it may show the tickets of up to COUNT_MAX_AGE_MS before it is asked, never
   * older. Asks until it shows `expected`; fails if a request begun that long after the change does not.
   */
  const countWithin = async (token: string, id: string, expected: number, changedAt = Date.now()) => {
    for (;;) {
      const askedAt = Date.now();
      const count = await countOf(token, id);
      if (count === expected) return;
      if (askedAt - changedAt > COUNT_MAX_AGE_MS) expect(count).toBe(expected);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const ticketIds = async (token: string, viewId: string): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await api.http.get(`/api/v1/views/${viewId}/tickets`).query({ limit: '2', ...(cursor ? { cursor } : {}) }).set(bearer(token));
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((t: { id: string }) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  };
  const createView = (token: string, body: Record<string, unknown>) => api.http.post('/api/v1/views').set(bearer(token)).send(body);
  const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id);
    ana = await createAgent(api, ['helpdesk_agent']);
    bruno = await createAgent(api, ['helpdesk_agent']);
    lead = await createAgent(api, ['admin_agent']);
    sales = await createAgent(api, ['sales_agent']);
    for (const [agent, queues] of [[ana, ['billing', 'vip']], [bruno, ['technical']]] as const) {
      const res = await api.http.patch(`/api/v1/agents/${agent.id}`).set(bearer(api.adminToken)).send({ queues });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await api.close();
  });

  describe('built-in views', () => {
    it('every agent has them, named in English and Spanish, with counts', async () => {
      for (const token of [ana.token, sales.token, api.adminToken]) {
        const list = await views(token);
        expect(list.slice(0, 5).map((v) => [v.id, v.kind])).toEqual(BUILT_IN.map((id) => [id, 'built-in']));
        for (const v of list.slice(0, 5)) {
          expect(v.names!.en.length).toBeGreaterThan(0);
          expect(v.names!.es.length).toBeGreaterThan(0);
          expect(v).toMatchObject({ count: 0, countCapped: false });
        }
      }
    });

    it('my-open and unassigned-in-my-queues are each agent\'s own', async () => {
      const anaOpen = await newTicket({ status: 'in_progress', assignee_id: ana.id, queue: 'billing' });
      await newTicket({ status: 'closed', assignee_id: ana.id, queue: 'billing' });
      const brunoOpen = await newTicket({ status: 'waiting_on_customer', assignee_id: bruno.id, queue: 'technical' });
      const billing = await newTicket({ status: 'triaged', queue: 'billing' });
      const vip = await newTicket({ status: 'escalated', queue: 'vip' });
      const technical = await newTicket({ status: 'triaged', queue: 'technical' });
      await newTicket({ status: 'resolved', queue: 'billing' });

      expect(await ticketIds(ana.token, 'my-open')).toEqual([anaOpen.id]);
      expect(await ticketIds(bruno.token, 'my-open')).toEqual([brunoOpen.id]);
      expect((await ticketIds(ana.token, 'unassigned-in-my-queues')).sort()).toEqual([billing.id, vip.id].sort());
      expect(await ticketIds(bruno.token, 'unassigned-in-my-queues')).toEqual([technical.id]);
      expect(await ticketIds(sales.token, 'unassigned-in-my-queues')).toEqual([]);
      expect(await ticketIds(ana.token, 'waiting-on-customer')).toEqual([brunoOpen.id]);
      expect(await ticketIds(bruno.token, 'escalated')).toEqual([vip.id]);

      const anaViews = await views(ana.token);
      expect(Object.fromEntries(anaViews.slice(0, 5).map((v) => [v.id, v.count]))).toEqual({
        'my-open': 1,
        'unassigned-in-my-queues': 2,
        'breaching-soon': 0,
        'waiting-on-customer': 1,
        escalated: 1,
      });
      expect(await countOf(bruno.token, 'my-open')).toBe(1);
      expect(await countOf(bruno.token, 'unassigned-in-my-queues')).toBe(1);
    });

    it('counts are live: a ticket change shows in the next GET /views', async () => {
      const ticket = await newTicket({ status: 'triaged', queue: 'vip' });
      expect(await countOf(ana.token, 'unassigned-in-my-queues')).toBe(3);
      expect(await countOf(ana.token, 'my-open')).toBe(1);
      const assign = await api.http.patch(`/api/v1/tickets/${ticket.id}`).set(bearer(lead.token)).send({ assigneeId: ana.id });
      expect(assign.status).toBe(200);
      expect(await countOf(ana.token, 'unassigned-in-my-queues')).toBe(2);
      expect(await countOf(ana.token, 'my-open')).toBe(2);
      const work = await api.http.patch(`/api/v1/tickets/${ticket.id}`).set(bearer(ana.token)).send({ status: 'in_progress' });
      expect(work.status).toBe(200);
      expect(await countOf(ana.token, 'waiting-on-customer')).toBe(1);
      const wait = await api.http.patch(`/api/v1/tickets/${ticket.id}`).set(bearer(ana.token)).send({ status: 'waiting_on_customer' });
      expect(wait.status).toBe(200);
      expect(await countOf(ana.token, 'waiting-on-customer')).toBe(2);
    });

    it('a ticket created, assigned, resolved and closed through the API moves the counts: the counters\' views at once, a view counted in tickets within 2 s', async () => {
      const plan = await createPlan(api, { name: 'Counted', businessHours: [], holidays: [] });
      const other = await createCustomer(api, plan.id);
      // Counted in tickets (a customer is no counter's column), for every agent alike.
      const created = await createView(ana.token, { name: 'Open of one customer', visibility: 'personal', filter: { customerId: other.id, status: ['new', 'triaged', 'in_progress'] } });
      expect(created.status).toBe(201);
      expect(created.body.count).toBe(0);
      const viewId = created.body.id;
      const counts = async (token: string) => Object.fromEntries((await views(token)).map((v) => [v.id, v.count]));
      const [anaBefore, brunoBefore] = [await counts(ana.token), await counts(bruno.token)];
      const change = async (ticketId: string, body: object) => {
        const res = await api.http.patch(`/api/v1/tickets/${ticketId}`).set(bearer(lead.token)).send(body);
        expect(res.status).toBe(200);
        return Date.now();
      };

      const res = await api.http.post('/api/v1/tickets').set(bearer(lead.token)).send(ticketBody(other.id));
      expect(res.status).toBe(201);
      const ticket = res.body as { id: string };
      await countWithin(ana.token, viewId, 1);
      let changedAt = await change(ticket.id, { queue: 'vip' });
      expect(await counts(ana.token)).toMatchObject({ 'unassigned-in-my-queues': anaBefore['unassigned-in-my-queues'] + 1, 'my-open': anaBefore['my-open'] });
      // Bruno works another queue: his counts do not move.
      expect(await counts(bruno.token)).toMatchObject({ 'unassigned-in-my-queues': brunoBefore['unassigned-in-my-queues'], 'my-open': brunoBefore['my-open'] });

      changedAt = await change(ticket.id, { assigneeId: ana.id });
      expect(await counts(ana.token)).toMatchObject({ 'unassigned-in-my-queues': anaBefore['unassigned-in-my-queues'], 'my-open': anaBefore['my-open'] + 1 });
      expect((await counts(bruno.token))['my-open']).toBe(brunoBefore['my-open']);
      await change(ticket.id, { status: 'triaged' });
      await change(ticket.id, { status: 'in_progress' });
      changedAt = await change(ticket.id, { status: 'waiting_on_customer' });
      expect((await counts(ana.token))['waiting-on-customer']).toBe(anaBefore['waiting-on-customer'] + 1);
      await countWithin(ana.token, viewId, 0, changedAt);
      changedAt = await change(ticket.id, { status: 'in_progress' });
      await countWithin(ana.token, viewId, 1, changedAt);
      changedAt = await change(ticket.id, { status: 'resolved' });
      expect(await counts(ana.token)).toMatchObject({ 'my-open': anaBefore['my-open'], 'waiting-on-customer': anaBefore['waiting-on-customer'] });
      await countWithin(ana.token, viewId, 0, changedAt);
      await change(ticket.id, { status: 'closed' });
      expect((await counts(ana.token))['my-open']).toBe(anaBefore['my-open']);

      // The worker folds the counters' deltas (every 2 s): the counts stay what they are.
      const settled = await counts(ana.token);
      expect(await new CounterCompactor(api.dataSource).compact()).toBeGreaterThan(0);
      expect(await counts(ana.token)).toEqual(settled);
      expect((await api.http.delete(`/api/v1/views/${viewId}`).set(bearer(ana.token))).status).toBe(204);
    });

    it('the counters\' counts are the tickets\' own, for every agent (my open, unassigned in my queues, waiting, escalated)', async () => {
      for (const agent of [ana, bruno, sales]) {
        const [{ queues }] = await api.dataSource.query(`SELECT queues FROM agents WHERE id = $1`, [agent.id]);
        const [truth] = await api.dataSource.query(
          `SELECT count(*) FILTER (WHERE assignee_id = $1 AND status NOT IN ('resolved', 'closed'))::int AS "my-open",
                  count(*) FILTER (WHERE assignee_id IS NULL AND queue = ANY ($2) AND status NOT IN ('resolved', 'closed'))::int AS "unassigned-in-my-queues",
                  count(*) FILTER (WHERE status = 'waiting_on_customer')::int AS "waiting-on-customer",
                  count(*) FILTER (WHERE status = 'escalated')::int AS escalated
             FROM tickets`,
          [agent.id, queues],
        );
        const counted = Object.fromEntries((await views(agent.token)).filter((v) => v.id in truth).map((v) => [v.id, v.count]));
        expect(counted).toEqual(truth);
      }
    });

    it('breaching-soon: a running clock due within 2 business hours of the ticket\'s own plan', async () => {
      const roundTheClock = await createCustomer(api, (await createPlan(api, { name: '24x7', businessHours: [], holidays: [] })).id);
      // One business hour a week, three days from now: hardly any business time passes in the next days.
      const day = ((new Date().getUTCDay() + 3 + 6) % 7) + 1;
      const weekly = await createCustomer(api, (await createPlan(api, { name: 'Weekly hour', timezone: 'UTC', businessHours: [{ day, start: '10:00', end: '11:00' }], holidays: [] })).id);

      const open = { status: 'in_progress', sla_started_at: new Date(), first_responded_at: new Date() };
      const soon = await newTicket({ ...open, resolution_due_at: minutesFromNow(110) }, roundTheClock.id);
      await newTicket({ ...open, resolution_due_at: minutesFromNow(130) }, roundTheClock.id);
      const firstResponse = await newTicket({ status: 'triaged', sla_started_at: new Date(), first_response_due_at: minutesFromNow(60), resolution_due_at: minutesFromNow(2000) }, roundTheClock.id);
      // Both clocks due soon: one ticket, counted once.
      const both = await newTicket({ status: 'new', sla_started_at: new Date(), first_response_due_at: minutesFromNow(30), resolution_due_at: minutesFromNow(100) }, roundTheClock.id);
      // Its first response is overdue already, its resolution is not due soon: not breaching soon.
      await newTicket({ status: 'triaged', sla_started_at: new Date(), first_response_due_at: minutesFromNow(-10), resolution_due_at: minutesFromNow(400) }, roundTheClock.id);
      await newTicket({ ...open, status: 'waiting_on_customer', sla_paused_since: new Date(), resolution_due_at: minutesFromNow(20) }, roundTheClock.id);
      await newTicket({ ...open, status: 'resolved', resolved_at: new Date(), resolution_due_at: minutesFromNow(20) }, roundTheClock.id);
      await newTicket({ ...open, resolution_due_at: minutesFromNow(-5) }, roundTheClock.id);
      // 3 real hours away, but no business time before then on this plan: within 2 business hours.
      const weeklySoon = await newTicket({ ...open, resolution_due_at: minutesFromNow(180) }, weekly.id);
      // Two weeks and 30 minutes after that window opens: 150 business minutes away, more than 2 hours.
      const windowStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 3, 10, 0));
      await newTicket({ ...open, resolution_due_at: new Date(windowStart.getTime() + 14 * 24 * 3_600_000 + 30 * 60_000) }, weekly.id);
      // Its first response is due soon and it has no resolution clock: after every running resolution clock (`due`'s second part, newest first).
      const noResolutionClock = await newTicket({ status: 'triaged', sla_started_at: new Date(), first_response_due_at: minutesFromNow(45) }, roundTheClock.id);
      const changedAt = Date.now();

      // In `due` order: by the resolution due time, then those without a running resolution clock; paged two at a time.
      expect(await ticketIds(ana.token, 'breaching-soon')).toEqual([both.id, soon.id, weeklySoon.id, firstResponse.id, noResolutionClock.id]);
      // Breaching soon depends on the clock: counted in tickets, shared for a second.
      await countWithin(bruno.token, 'breaching-soon', 5, changedAt);
    });
  });

  describe('personal and shared views', () => {
    it('a view of open tickets with a tag counts them live as the tag and the status change', async () => {
      const created = await createView(ana.token, { name: 'Open quakes', visibility: 'personal', filter: { tags: ['quake'], status: ['new', 'triaged', 'in_progress'] }, sort: 'priority' });
      expect(created.status).toBe(201);
      expect(created.body.count).toBe(0);
      const id = created.body.id;
      const patch = async (ticketId: string, body: object) => expect((await api.http.patch(`/api/v1/tickets/${ticketId}`).set(bearer(ana.token)).send(body)).status).toBe(200);
      const a = await newTicket();
      const b = await newTicket();
      await patch(a.id, { addTags: ['quake'] });
      await patch(b.id, { addTags: ['quake', 'other'] });
      await countWithin(ana.token, id, 2);
      expect((await ticketIds(ana.token, id)).sort()).toEqual([a.id, b.id].sort());
      await patch(a.id, { status: 'triaged' });
      await patch(a.id, { status: 'in_progress' });
      await patch(a.id, { status: 'resolved' });
      await countWithin(ana.token, id, 1);
      await patch(b.id, { removeTags: ['quake'] });
      await countWithin(ana.token, id, 0);
      await patch(a.id, { status: 'in_progress' });
      await countWithin(ana.token, id, 1);
      expect(await ticketIds(ana.token, id)).toEqual([a.id]);
      // The tags in use stay those the GET /tags test expects.
      await patch(a.id, { removeTags: ['quake'] });
      await patch(b.id, { removeTags: ['other'] });
      await countWithin(ana.token, id, 0);
    });

    it('a personal view is its owner\'s alone, with a live count', async () => {
      const created = await createView(ana.token, { name: 'My VIP queue', visibility: 'personal', filter: { queue: 'vip', status: ['triaged', 'in_progress'] }, sort: 'due' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'personal', name: 'My VIP queue', ownerId: ana.id, sort: 'due', filter: { queue: 'vip', status: ['triaged', 'in_progress'] }, count: 0 });
      const id = created.body.id;
      await newTicket({ status: 'triaged', queue: 'vip' });
      expect(await countOf(ana.token, id)).toBe(1);
      expect((await views(bruno.token)).some((v) => v.id === id)).toBe(false);
      for (const [method, path] of [['get', `/api/v1/views/${id}`], ['get', `/api/v1/views/${id}/tickets`], ['patch', `/api/v1/views/${id}`], ['delete', `/api/v1/views/${id}`]] as const) {
        const res = await api.http[method](path).set(bearer(bruno.token)).send(method === 'patch' ? { name: 'Mine now' } : undefined);
        expect(res.status).toBe(404);
      }
      const renamed = await api.http.patch(`/api/v1/views/${id}`).set(bearer(ana.token)).send({ name: 'VIP', filter: { queue: 'vip' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'VIP', filter: { queue: 'vip' }, sort: 'due' });
      expect(renamed.body.count).toBeGreaterThanOrEqual(2);
      expect((await api.http.delete(`/api/v1/views/${id}`).set(bearer(ana.token))).status).toBe(204);
      expect((await api.http.get(`/api/v1/views/${id}`).set(bearer(ana.token))).status).toBe(404);
    });

    it('GET /views/names: the same views in the same order as GET /views, without counting them; another agent\'s personal view is not there', async () => {
      const created = await createView(ana.token, { name: 'Ana only', visibility: 'personal', filter: { queue: 'vip' } });
      expect(created.status).toBe(201);
      for (const token of [ana.token, bruno.token, api.adminToken]) {
        const res = await api.http.get('/api/v1/views/names').set(bearer(token));
        expect(res.status).toBe(200);
        const names = res.body as Array<Record<string, unknown>>;
        expect(names.map((v) => ({ ...v, count: 0, countCapped: false }))).toEqual((await views(token)).map((v) => ({ ...v, count: 0, countCapped: false })));
        for (const v of names) expect(v).not.toHaveProperty('count');
        expect(names.some((v) => v.id === created.body.id)).toBe(token === ana.token);
      }
      expect((await api.http.delete(`/api/v1/views/${created.body.id}`).set(bearer(ana.token))).status).toBe(204);
    });

    it('shared views: every agent sees them; admin_agent and global_admin make and change them', async () => {
      const refused = await createView(ana.token, { name: 'Team billing', visibility: 'shared', filter: { queue: 'billing' } });
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].field).toBe('visibility');

      const created = await createView(lead.token, { name: 'Team billing', visibility: 'shared', filter: { queue: 'billing', assigneeId: 'me', status: ['in_progress'] }, sort: '-updated' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'shared', ownerId: null, createdBy: lead.id });
      const id = created.body.id;
      // `me` is whoever looks: Ana has her billing ticket, Bruno none.
      expect(await countOf(ana.token, id)).toBe(1);
      expect(await countOf(bruno.token, id)).toBe(0);
      expect((await views(sales.token)).map((v) => v.id)).toContain(id);

      expect((await api.http.patch(`/api/v1/views/${id}`).set(bearer(ana.token)).send({ name: 'Hijacked' })).status).toBe(403);
      expect((await api.http.delete(`/api/v1/views/${id}`).set(bearer(ana.token))).status).toBe(403);
      const changed = await api.http.patch(`/api/v1/views/${id}`).set(bearer(lead.token)).send({ sort: 'priority' });
      expect(changed.status).toBe(200);
      expect(changed.body.sort).toBe('priority');
      expect((await api.http.delete(`/api/v1/views/${id}`).set(bearer(api.adminToken))).status).toBe(204);

      // Each change of a shared view is in the audit log, with who made it, before and after.
      const [{ id: rootId }] = await api.dataSource.query(`SELECT id FROM agents WHERE 'global_admin' = ANY (roles) ORDER BY created_at LIMIT 1`);
      const audit = await api.http.get('/api/v1/audit').query({ entity: 'saved_view', entityId: id }).set(bearer(lead.token));
      expect(audit.status).toBe(200);
      const entries = (audit.body.items as Array<{ action: string; actor: unknown; before: { sort?: string } | null; after: { sort?: string } | null }>).reverse();
      expect(entries.map((e) => [e.action, e.actor, e.before?.sort ?? null, e.after?.sort ?? null])).toEqual([
        ['created', { kind: 'staff', id: lead.id }, null, '-updated'],
        ['updated', { kind: 'staff', id: lead.id }, '-updated', 'priority'],
        ['deleted', { kind: 'staff', id: rootId }, 'priority', null],
      ]);
      expect(entries[0].after).toMatchObject({ name: 'Team billing', kind: 'shared', filter: { queue: 'billing' } });
    });

    it('a personal view is not audited (its owner\'s own business); a refused change leaves no audit entry', async () => {
      const mine = await createView(bruno.token, { name: 'Mine only', visibility: 'personal', filter: { queue: 'vip' } });
      expect(mine.status).toBe(201);
      expect((await api.http.patch(`/api/v1/views/${mine.body.id}`).set(bearer(bruno.token)).send({ name: 'Still mine' })).status).toBe(200);
      expect((await api.http.delete(`/api/v1/views/${mine.body.id}`).set(bearer(bruno.token))).status).toBe(204);
      const shared = await createView(lead.token, { name: 'Audited once', visibility: 'shared', filter: {} });
      expect(shared.status).toBe(201);
      expect((await api.http.patch(`/api/v1/views/${shared.body.id}`).set(bearer(lead.token)).send({ sort: 'relevance' })).status).toBe(400);
      expect((await api.http.patch(`/api/v1/views/${shared.body.id}`).set(bearer(bruno.token)).send({ name: 'Hijacked' })).status).toBe(403);
      const entries = async (entityId: string) =>
        ((await api.http.get('/api/v1/audit').query({ entity: 'saved_view', entityId }).set(bearer(lead.token))).body.items as Array<{ action: string }>).map((e) => e.action);
      expect(await entries(mine.body.id)).toEqual([]);
      expect(await entries(shared.body.id)).toEqual(['created']);
    });

    it('names are unique among one agent\'s views and among shared views', async () => {
      expect((await createView(ana.token, { name: 'Backlog', visibility: 'personal', filter: {} })).status).toBe(201);
      const again = await createView(ana.token, { name: 'backlog', visibility: 'personal', filter: { queue: 'vip' } });
      expect(again.status).toBe(409);
      expect(again.body.errors[0].field).toBe('name');
      expect((await createView(bruno.token, { name: 'Backlog', visibility: 'personal', filter: {} })).status).toBe(201);
      expect((await createView(lead.token, { name: 'Backlog', visibility: 'shared', filter: {} })).status).toBe(201);
      expect((await createView(api.adminToken, { name: 'BACKLOG', visibility: 'shared', filter: {} })).status).toBe(409);
    });

    it('built-in views cannot be changed or deleted', async () => {
      expect((await api.http.patch('/api/v1/views/my-open').set(bearer(lead.token)).send({ name: 'Mine' })).status).toBe(403);
      expect((await api.http.delete('/api/v1/views/escalated').set(bearer(api.adminToken))).status).toBe(403);
    });

    it('a view with a search counts and pages its matches', async () => {
      await newTicket({ status: 'triaged', queue: 'vip' });
      const created = await createView(ana.token, { name: 'Outlook', visibility: 'personal', filter: { q: 'outlook', queue: 'vip' } });
      expect(created.status).toBe(201);
      expect(created.body.sort).toBe('-number');
      const vipTickets: Array<{ id: string }> = await api.dataSource.query(`SELECT id FROM tickets WHERE queue = 'vip' ORDER BY number DESC`);
      expect(created.body.count).toBe(vipTickets.length);
      expect(await ticketIds(ana.token, created.body.id)).toEqual(vipTickets.map((t) => t.id));
      const relevance = await createView(ana.token, { name: 'Outlook ranked', visibility: 'personal', filter: { q: 'outlook' }, sort: 'relevance' });
      expect(relevance.status).toBe(201);
    });

    it('a search view is counted across number ranges up to 1,000 ("1,000+" beyond), with its filter checked on each match', async () => {
      // Test set-up: 1,205 tickets in a row (their numbers cross a boundary of 1,000), half still open.
      const other = await createCustomer(api, (await createPlan(api)).id);
      await api.dataSource.query(
        `INSERT INTO tickets (id, customer_id, subject, description, priority, status, channel, requester_name, requester_email, queue)
         SELECT gen_random_uuid(), $1, 'Factura ' || g, 'La factura de marzo no cuadra con el pedido', 'P3', CASE WHEN g % 2 = 0 THEN 'triaged' ELSE 'closed' END,
                'api', 'Requester', 'requester@example.com', 'archive'
           FROM generate_series(1, 1205) g`,
        [other.id],
      );
      const truth = async (status: string | null) =>
        (
          await api.dataSource.query(
            `SELECT count(*)::int AS n FROM ticket_search s JOIN tickets t ON t.id = s.ticket_id
              WHERE s.staff_doc @@ ticket_search_query('factura') AND ($1::text IS NULL OR t.status = $1)`,
            [status],
          )
        )[0].n;
      const open = await createView(ana.token, { name: 'Facturas abiertas', visibility: 'personal', filter: { q: 'factura', status: ['triaged'] } });
      expect(open.status).toBe(201);
      expect(await truth('triaged')).toBeGreaterThan(600);
      expect([open.body.count, open.body.countCapped]).toEqual([await truth('triaged'), false]);
      const all = await createView(ana.token, { name: 'Facturas', visibility: 'personal', filter: { q: 'factura' } });
      expect(await truth(null)).toBeGreaterThan(1000);
      expect([all.body.count, all.body.countCapped]).toEqual([1000, true]);
      const ofCustomer = await createView(ana.token, { name: 'Facturas del cliente', visibility: 'personal', filter: { q: 'factura', customerId: other.id, status: ['closed'] } });
      expect([ofCustomer.body.count, ofCustomer.body.countCapped]).toEqual([603, false]);
      for (const view of [open, all, ofCustomer]) expect((await api.http.delete(`/api/v1/views/${view.body.id}`).set(bearer(ana.token))).status).toBe(204);
      await api.dataSource.query(`UPDATE tickets SET status = 'closed' WHERE customer_id = $1`, [other.id]);
    });

    it.each([
      ['a blank name', { name: '  ', visibility: 'personal', filter: {} }, 'name'],
      ['no visibility', { name: 'x', filter: {} }, 'visibility'],
      ['an unknown visibility', { name: 'x', visibility: 'public', filter: {} }, 'visibility'],
      ['no filter', { name: 'x', visibility: 'personal' }, 'filter'],
      ['an unknown status', { name: 'x', visibility: 'personal', filter: { status: ['lost'] } }, 'filter.status'],
      ['a tag too long', { name: 'x', visibility: 'personal', filter: { tags: ['x'.repeat(41)] } }, 'filter.tags'],
      ['an unknown filter field', { name: 'x', visibility: 'personal', filter: { owner: 'me' } }, 'filter.owner'],
      ['a horizon of 0', { name: 'x', visibility: 'personal', filter: { slaDueWithinBusinessMinutes: 0 } }, 'filter.slaDueWithinBusinessMinutes'],
      ['inMyQueues not a boolean', { name: 'x', visibility: 'personal', filter: { inMyQueues: 'yes' } }, 'filter.inMyQueues'],
      ['an unknown sort', { name: 'x', visibility: 'personal', filter: {}, sort: 'oldest' }, 'sort'],
      ['relevance without a search', { name: 'x', visibility: 'personal', filter: {}, sort: 'relevance' }, 'sort'],
    ])('400 naming the field for %s, nothing stored', async (_c, body, field) => {
      const [{ n: before }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM saved_views`);
      const res = await createView(ana.token, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      if (_c === 'relevance without a search') expect(res.body.errors[0].code).toBe('needsSearch');
      const [{ n: after }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM saved_views`);
      expect(after).toBe(before);
    });

    it('PATCH: null and unknown fields are 400s naming them', async () => {
      const created = await createView(ana.token, { name: 'Patchable', visibility: 'personal', filter: {} });
      for (const [body, field] of [[{ name: null }, 'name'], [{ filter: null }, 'filter'], [{ sort: null }, 'sort'], [{ visibility: 'shared' }, 'visibility']] as const) {
        const res = await api.http.patch(`/api/v1/views/${created.body.id}`).set(bearer(ana.token)).send(body);
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('at most 50 personal views per agent', async () => {
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM saved_views WHERE owner_id = $1`, [bruno.id]);
      for (let i = n; i < 50; i++) expect((await createView(bruno.token, { name: `View ${i}`, visibility: 'personal', filter: {} })).status).toBe(201);
      expect((await createView(bruno.token, { name: 'One too many', visibility: 'personal', filter: {} })).status).toBe(409);
    });

    it('unknown views are 404s; a bad cursor is a 400 naming cursor', async () => {
      expect((await api.http.get('/api/v1/views/00000000-0000-4000-8000-000000000000').set(bearer(ana.token))).status).toBe(404);
      expect((await api.http.get('/api/v1/views/nope/tickets').set(bearer(ana.token))).status).toBe(404);
      const bad = await api.http.get('/api/v1/views/my-open/tickets').query({ cursor: 'nope' }).set(bearer(ana.token));
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'cursor', message: expect.any(String), code: 'invalid', params: {} }]);
      const page = await api.http.get('/api/v1/views/escalated/tickets').query({ limit: '201' }).set(bearer(ana.token));
      expect(page.status).toBe(400);
      expect(page.body.errors[0].field).toBe('limit');
    });

    it('customers have no views and no tags', async () => {
      for (const [method, path] of [['get', '/api/v1/views'], ['get', '/api/v1/views/names'], ['post', '/api/v1/views'], ['get', '/api/v1/views/my-open/tickets'], ['get', '/api/v1/tags']] as const) {
        const res = await api.http[method](path).set(bearer(customer.token)).send(method === 'post' ? { name: 'x', visibility: 'personal', filter: {} } : undefined);
        expect(res.status).toBe(403);
      }
    });
  });

  it("tickets are vacuumed after 1 % of them changed, so that the views' counts stay index-only; the migration reverts cleanly", async () => {
    const options = async (): Promise<string[]> => (await api.dataSource.query(`SELECT coalesce(reloptions, '{}') AS o FROM pg_class WHERE relname = 'tickets'`))[0].o;
    const VACUUM_OFTEN = ['autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_threshold=1000', 'autovacuum_vacuum_insert_scale_factor=0.01', 'autovacuum_vacuum_insert_threshold=1000'];
    expect([...(await options())].sort()).toEqual([...VACUUM_OFTEN].sort());
    const runner = api.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = new TicketsVacuumedOften1764005590000();
      await migration.down(runner);
      const [{ o: reset }] = await runner.query(`SELECT coalesce(reloptions, '{}') AS o FROM pg_class WHERE relname = 'tickets'`);
      expect(reset).toEqual([]);
      await migration.up(runner);
      const [{ o: again }] = await runner.query(`SELECT coalesce(reloptions, '{}') AS o FROM pg_class WHERE relname = 'tickets'`);
      expect([...again].sort()).toEqual([...VACUUM_OFTEN].sort());
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('every route is in the OpenAPI document with its roles, and GET /tickets with its new parameters', async () => {
    const doc = (await api.http.get('/api/docs-json')).body as { paths: Record<string, Record<string, { description?: string; parameters?: Array<{ name: string }> }>> };
    for (const [path, method] of [
      ['/api/v1/views', 'get'],
      ['/api/v1/views', 'post'],
      ['/api/v1/views/names', 'get'],
      ['/api/v1/views/{id}', 'get'],
      ['/api/v1/views/{id}', 'patch'],
      ['/api/v1/views/{id}', 'delete'],
      ['/api/v1/views/{id}/tickets', 'get'],
      ['/api/v1/tags', 'get'],
      ['/api/v1/tickets', 'get'],
    ]) {
      expect({ path, method, description: doc.paths[path]?.[method]?.description }).toEqual({ path, method, description: expect.stringContaining('Roles:') });
    }
    expect(doc.paths['/api/v1/tickets'].get.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'sort', 'tag', 'status', 'priority', 'assigneeId', 'queue', 'category', 'customerId', 'cursor', 'limit']),
    );
  });

  describe('GET /tags', () => {
    const tag = (id: string, tags: string[]) => api.dataSource.query(`UPDATE tickets SET tags = $2 WHERE id = $1`, [id, tags]);

    it('lists the tags in use with their counts, most used first, live before and after the worker folds them', async () => {
      const [a, b, c] = [await newTicket(), await newTicket(), await newTicket()];
      await tag(a.id, ['vip', 'outage']);
      await tag(b.id, ['vip']);
      await tag(c.id, ['vip', 'billing']);
      const expected = [
        { tag: 'vip', count: 3 },
        { tag: 'billing', count: 1 },
        { tag: 'outage', count: 1 },
      ];
      const read = async (query: Record<string, string> = {}) => {
        const res = await api.http.get('/api/v1/tags').query(query).set(bearer(sales.token));
        expect(res.status).toBe(200);
        return res.body;
      };
      expect(await read()).toEqual(expected);
      const compactor = new TagCountsCompactor(api.dataSource);
      expect(await compactor.compact()).toBeGreaterThan(0);
      expect(await read()).toEqual(expected);
      await tag(a.id, ['outage']);
      await tag(c.id, []);
      expect(await read()).toEqual([
        { tag: 'outage', count: 1 },
        { tag: 'vip', count: 1 },
      ]);
      await compactor.compact();
      expect(await read()).toEqual([
        { tag: 'outage', count: 1 },
        { tag: 'vip', count: 1 },
      ]);
      expect(await read({ prefix: ' OUT' })).toEqual([{ tag: 'outage', count: 1 }]);
      expect(await read({ limit: '1' })).toHaveLength(1);
      // Tags of a deleted ticket stop counting.
      await api.dataSource.query(`DELETE FROM tickets WHERE id = $1`, [a.id]);
      expect(await read()).toEqual([{ tag: 'vip', count: 1 }]);
    });

    it.each([
      ['limit 0', { limit: '0' }, 'limit'],
      ['limit 501', { limit: '501' }, 'limit'],
      ['a blank prefix', { prefix: '  ' }, 'prefix'],
      ['a prefix too long', { prefix: 'x'.repeat(41) }, 'prefix'],
    ])('400 naming the field for %s', async (_c, query, field) => {
      const res = await api.http.get('/api/v1/tags').query(query).set(bearer(ana.token));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
