import { randomUUID } from 'node:crypto';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

type Event = { type: string; actor: { kind: string; id: string | null }; data: Record<string, unknown> };

describe('merge and link tickets', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let otherCustomer: { id: string; token: string };
  let agent: { id: string; token: string };
  let sales: { id: string; token: string };
  let billing: { id: string; token: string };

  const newTicket = async (who = customer) =>
    (await api.http.post('/api/v1/tickets').set(bearer(who.token)).send(ticketBody(undefined, { subject: `Subject ${randomUUID().slice(0, 8)}` }))).body as { id: string; number: string };
  const patch = (id: string, body: object) => api.http.patch(`/api/v1/tickets/${id}`).set(bearer(agent.token)).send(body);
  const walk = async (id: string, ...statuses: string[]) => {
    for (const status of statuses) expect((await patch(id, { status })).status).toBe(200);
  };
  const merge = (id: string, targetId: unknown, token = agent.token) => api.http.post(`/api/v1/tickets/${id}/merge`).set(bearer(token)).send({ targetId });
  const comment = (id: string, body: string, visibility: string, token = agent.token) => api.http.post(`/api/v1/tickets/${id}/comments`).set(bearer(token)).send({ body, visibility });
  const events = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}/events`).set(bearer(agent.token))).body as Event[];
  const ticket = async (id: string, token = agent.token) => (await api.http.get(`/api/v1/tickets/${id}`).set(bearer(token))).body;

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id);
    otherCustomer = await createCustomer(api, plan.id);
    agent = await createAgent(api, ['helpdesk_agent']);
    sales = await createAgent(api, ['sales_agent']);
    billing = await createAgent(api, ['billing_admin']);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('POST /tickets/:id/merge', () => {
    it('closes the duplicate with mergedInto, shows its comments on the target and records it on both timelines', async () => {
      const target = await newTicket();
      const duplicate = await newTicket();
      await comment(target.id, 'On the original', 'public');
      await comment(duplicate.id, 'Customer detail on the duplicate', 'public', customer.token);
      await comment(duplicate.id, 'Internal note on the duplicate', 'internal');
      await walk(duplicate.id, 'triaged', 'in_progress');

      const res = await merge(duplicate.id, target.id);
      expect(res.status).toBe(200);
      expect(res.body.source).toMatchObject({ id: duplicate.id, status: 'closed', mergedInto: target.id });
      expect(res.body.target).toMatchObject({ id: target.id, mergedInto: null });
      expect(await ticket(duplicate.id, customer.token)).toMatchObject({ status: 'closed', mergedInto: target.id });

      const forStaff = (await api.http.get(`/api/v1/tickets/${target.id}/comments`).set(bearer(agent.token))).body as Array<{ body: string; ticketId: string }>;
      expect(forStaff.map((c) => [c.body, c.ticketId])).toEqual([
        ['On the original', target.id],
        ['Customer detail on the duplicate', duplicate.id],
        ['Internal note on the duplicate', duplicate.id],
      ]);
      const forCustomer = (await api.http.get(`/api/v1/tickets/${target.id}/comments`).set(bearer(customer.token))).body as Array<{ body: string }>;
      expect(forCustomer.map((c) => c.body)).toEqual(['On the original', 'Customer detail on the duplicate']);

      const sourceEvents = await events(duplicate.id);
      expect(sourceEvents.slice(-2)).toEqual([
        expect.objectContaining({ type: 'status_changed', data: { from: 'in_progress', to: 'closed' }, actor: { kind: 'staff', id: agent.id } }),
        expect.objectContaining({ type: 'merged_into', data: { ticketId: target.id, number: target.number } }),
      ]);
      expect((await events(target.id)).at(-1)).toMatchObject({ type: 'merged_from', data: { ticketId: duplicate.id, number: duplicate.number } });
      // The merged ticket takes no more comments (it is closed).
      expect((await comment(duplicate.id, 'late', 'public')).status).toBe(409);
    });

    it('shows the comments of earlier merges through a chain', async () => {
      const [a, b, c] = [await newTicket(), await newTicket(), await newTicket()];
      await comment(a.id, 'from A', 'public');
      await comment(b.id, 'from B', 'public');
      expect((await merge(a.id, b.id)).status).toBe(200);
      expect((await merge(b.id, c.id)).status).toBe(200);
      const list = (await api.http.get(`/api/v1/tickets/${c.id}/comments`).set(bearer(customer.token))).body as Array<{ body: string }>;
      expect(list.map((x) => x.body)).toEqual(['from A', 'from B']);
    });

    it('refuses merging into itself, into another customer’s ticket or an unknown one (422), naming targetId', async () => {
      const t = await newTicket();
      const foreign = await newTicket(otherCustomer);
      for (const [targetId, text, code, params] of [
        [t.id, 'itself', 'mergeSelf', {}],
        [foreign.id, 'another customer', 'mergeOtherCustomer', { ticket: foreign.number }],
        [randomUUID(), 'no ticket has the id', 'unknownId', {}],
      ] as const) {
        const res = await merge(t.id, targetId);
        expect([targetId, res.status]).toEqual([targetId, 422]);
        expect(res.body.errors).toEqual([{ field: 'targetId', message: expect.stringContaining(text), code, params }]);
      }
      const bad = await merge(t.id, 'not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('targetId');
      expect((await merge(randomUUID(), t.id)).status).toBe(404);
      expect(await ticket(t.id)).toMatchObject({ status: 'new', mergedInto: null });
    });

    it('refuses merging into a closed or merged ticket, a closed or merged source, and cycles (409), changing nothing', async () => {
      const closed = await newTicket();
      await walk(closed.id, 'triaged', 'in_progress', 'resolved', 'closed');
      const a = await newTicket();
      const b = await newTicket();
      expect((await merge(a.id, b.id)).status).toBe(200);

      const open = await newTicket();
      const intoClosed = await merge(open.id, closed.id);
      expect(intoClosed.status).toBe(409);
      expect(intoClosed.body.detail).toContain('closed');
      const intoMerged = await merge(open.id, a.id);
      expect(intoMerged.status).toBe(409);
      expect(intoMerged.body).toMatchObject({ targetMergedInto: b.id, cycle: false });
      // B's duplicate A was merged into B: merging B back into A would make a cycle.
      const cycle = await merge(b.id, a.id);
      expect(cycle.status).toBe(409);
      expect(cycle.body).toMatchObject({ cycle: true });
      expect(cycle.body.detail).toContain('cycle');
      const again = await merge(a.id, open.id);
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('already merged');
      const closedSource = await merge(closed.id, open.id);
      expect(closedSource.status).toBe(409);

      expect(await ticket(open.id)).toMatchObject({ status: 'new', mergedInto: null });
      expect(await ticket(b.id)).toMatchObject({ status: 'new', mergedInto: null });
      expect((await events(open.id)).map((e) => e.type)).toEqual(['created']);
    });

    it('refuses an escalated duplicate (the vendor is working it)', async () => {
      const t = await newTicket();
      const target = await newTicket();
      await api.dataSource.query(`UPDATE tickets SET status = 'escalated' WHERE id = $1`, [t.id]);
      const res = await merge(t.id, target.id);
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('escalated');
    });

    it('is for staff who work tickets only', async () => {
      const [t, target] = [await newTicket(), await newTicket()];
      for (const token of [sales.token, billing.token, customer.token]) expect((await merge(t.id, target.id, token)).status).toBe(403);
      expect((await ticket(t.id)).status).toBe('new');
    });
  });

  describe('links', () => {
    const link = (id: string, ticketId: unknown, token = agent.token) => api.http.post(`/api/v1/tickets/${id}/links`).set(bearer(token)).send({ ticketId });
    const links = (id: string, token = agent.token) => api.http.get(`/api/v1/tickets/${id}/links`).set(bearer(token));
    const unlink = (id: string, other: string, token = agent.token) => api.http.delete(`/api/v1/tickets/${id}/links/${other}`).set(bearer(token));

    it('links both ways (also across customers), lists on each side, records on both timelines, unlinks', async () => {
      const a = await newTicket();
      const b = await newTicket(otherCustomer);
      const c = await newTicket();
      const created = await link(a.id, b.id);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ticketId: b.id, number: b.number, customerId: otherCustomer.id, linkedBy: agent.id });
      expect((await link(b.id, a.id)).status).toBe(200);
      expect((await link(c.id, a.id)).status).toBe(201);

      expect((await links(a.id)).body.map((l: { ticketId: string }) => l.ticketId)).toEqual([b.id, c.id]);
      expect((await links(b.id, sales.token)).body.map((l: { ticketId: string }) => l.ticketId)).toEqual([a.id]);
      expect((await links(c.id)).body.map((l: { ticketId: string }) => l.ticketId)).toEqual([a.id]);
      expect((await events(a.id)).filter((e) => e.type === 'linked').map((e) => e.data)).toEqual([
        { ticketId: b.id, number: b.number },
        { ticketId: c.id, number: c.number },
      ]);
      expect((await events(b.id)).filter((e) => e.type === 'linked')).toHaveLength(1);

      expect((await unlink(b.id, a.id)).status).toBe(204);
      expect((await links(a.id)).body.map((l: { ticketId: string }) => l.ticketId)).toEqual([c.id]);
      expect((await links(b.id)).body).toEqual([]);
      expect((await events(a.id)).at(-1)).toMatchObject({ type: 'unlinked', data: { ticketId: b.id } });
      expect((await events(b.id)).at(-1)).toMatchObject({ type: 'unlinked', data: { ticketId: a.id } });
      expect((await unlink(b.id, a.id)).status).toBe(404);
    });

    it('refuses a link to itself, to nothing, and is staff-only', async () => {
      const a = await newTicket();
      expect((await link(a.id, a.id)).body.errors).toEqual([{ field: 'ticketId', message: 'a ticket cannot be linked to itself', code: 'linkSelf', params: {} }]);
      expect((await link(a.id, a.id)).status).toBe(400);
      expect((await link(a.id, randomUUID())).status).toBe(422);
      expect((await link(a.id, 'x')).status).toBe(400);
      expect((await link(randomUUID(), a.id)).status).toBe(404);
      expect((await links(randomUUID())).status).toBe(404);
      const b = await newTicket();
      for (const token of [sales.token, billing.token, customer.token]) expect((await link(a.id, b.id, token)).status).toBe(403);
      expect((await links(a.id, customer.token)).status).toBe(403);
      await link(a.id, b.id);
      expect((await unlink(a.id, b.id, customer.token)).status).toBe(403);
      expect((await unlink(a.id, b.id, sales.token)).status).toBe(403);
      expect((await links(a.id)).body).toHaveLength(1);
    });
  });
});
