import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

describe('ticket workflow: status machine, changes, comments and the timeline', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let agent: { id: string; token: string };
  let colleague: { id: string; token: string };

  const newTicket = async () => (await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined))).body as { id: string };
  const patch = (id: string, body: object, token = agent.token) => api.http.patch(`/api/v1/tickets/${id}`).set(bearer(token)).send(body);
  const events = async (id: string) =>
    (await api.http.get(`/api/v1/tickets/${id}/events`).set(bearer(agent.token))).body as Array<{ type: string; actor: { kind: string; id: string | null }; data: Record<string, unknown>; at: string }>;

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api)).id);
    agent = await createAgent(api, ['helpdesk_agent']);
    colleague = await createAgent(api, ['helpdesk_agent']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('walks the whole life of a ticket, each change with its event', async () => {
    const t = await newTicket();
    for (const status of ['triaged', 'in_progress', 'waiting_on_customer', 'in_progress', 'resolved', 'in_progress', 'resolved', 'closed']) {
      const res = await patch(t.id, { status });
      expect([status, res.status]).toEqual([status, 200]);
      expect(res.body.status).toBe(status);
    }
    const types = (await events(t.id)).map((e) => `${e.type}:${e.data.from ?? ''}>${e.data.to ?? ''}`);
    expect(types).toEqual([
      'created:>',
      'status_changed:new>triaged',
      'status_changed:triaged>in_progress',
      'status_changed:in_progress>waiting_on_customer',
      'status_changed:waiting_on_customer>in_progress',
      'status_changed:in_progress>resolved',
      'status_changed:resolved>in_progress',
      'status_changed:in_progress>resolved',
      'status_changed:resolved>closed',
    ]);
  });

  it.each([
    ['new', 'in_progress'],
    ['new', 'resolved'],
    ['new', 'escalated'],
    ['new', 'closed'],
  ])('refuses %s → %s with a 409 naming both states, changing nothing', async (from, to) => {
    const t = await newTicket();
    const res = await patch(t.id, { status: to });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toContain(from);
    expect(res.body.detail).toContain(to);
    expect(res.body).toMatchObject({ from, to });
    const now = await api.http.get(`/api/v1/tickets/${t.id}`).set(bearer(agent.token));
    expect(now.body.status).toBe(from);
    expect((await events(t.id)).map((e) => e.type)).toEqual(['created']);
  });

  it('refuses to escalate by hand, to leave closed, and rolls back the whole patch on a bad status', async () => {
    const t = await newTicket();
    await patch(t.id, { status: 'triaged' });
    await patch(t.id, { status: 'in_progress' });
    expect((await patch(t.id, { status: 'escalated' })).status).toBe(409);
    // A valid priority in the same patch as an invalid status is not applied either.
    const mixed = await patch(t.id, { status: 'new', priority: 'P1' });
    expect(mixed.status).toBe(409);
    expect((await api.http.get(`/api/v1/tickets/${t.id}`).set(bearer(agent.token))).body.priority).toBe('P3');
    await patch(t.id, { status: 'resolved' });
    await patch(t.id, { status: 'closed' });
    const reopen = await patch(t.id, { status: 'in_progress' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.detail).toBe('A ticket cannot go from closed to in_progress');
  });

  it('records priority, assignment, category and product changes; same values are no-ops', async () => {
    const t = await newTicket();
    const res = await patch(t.id, { priority: 'P1', assigneeId: colleague.id, category: 'billing', product: 'azure' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ priority: 'P1', assigneeId: colleague.id, category: 'billing', product: 'azure' });
    expect((await patch(t.id, { priority: 'P1' })).status).toBe(200);
    const unassign = await patch(t.id, { assigneeId: null });
    expect(unassign.body.assigneeId).toBeNull();
    const list = await events(t.id);
    expect(list.map((e) => e.type)).toEqual(['created', 'priority_changed', 'assigned', 'category_changed', 'product_changed', 'assigned']);
    expect(list[1]).toMatchObject({ actor: { kind: 'staff', id: agent.id }, data: { from: 'P3', to: 'P1' } });
    expect(list[5].data).toEqual({ from: colleague.id, to: null });
  });

  it('validates patches field by field', async () => {
    const t = await newTicket();
    const res = await patch(t.id, { status: 'done', priority: 'urgent', assigneeId: 'bob', category: 'x', product: 'y', subject: 'no' });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['assigneeId', 'category', 'priority', 'product', 'status', 'subject']);
    // null clears only the assignee: status, priority, category and product always have a value.
    const nulls = await patch(t.id, { status: null, priority: null, category: null, product: null });
    expect(nulls.status).toBe(400);
    expect(nulls.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'priority', 'product', 'status']);
    const ghost = await patch(t.id, { assigneeId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.status).toBe(400);
    expect(ghost.body.errors[0].field).toBe('assigneeId');
  });

  it('hides internal comments from customers and records the first public staff response once', async () => {
    const t = await newTicket();
    const customerComment = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(customer.token)).send({ body: 'Any news?', visibility: 'public' });
    expect(customerComment.status).toBe(201);
    const internalByCustomer = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(customer.token)).send({ body: 'psst', visibility: 'internal' });
    expect(internalByCustomer.status).toBe(403);
    const internal = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(agent.token)).send({ body: 'Looks like the tenant licence lapsed', visibility: 'internal' });
    expect(internal.status).toBe(201);
    let ticket = await api.http.get(`/api/v1/tickets/${t.id}`).set(bearer(agent.token));
    expect(ticket.body.firstRespondedAt).toBeNull();

    const reply = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(agent.token)).send({ body: 'We are on it.', visibility: 'public' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ ticketId: t.id, author: { kind: 'staff', id: agent.id }, visibility: 'public', body: 'We are on it.' });
    ticket = await api.http.get(`/api/v1/tickets/${t.id}`).set(bearer(agent.token));
    expect(ticket.body.firstRespondedAt).toBe(reply.body.createdAt);
    await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(colleague.token)).send({ body: 'Second reply', visibility: 'public' });

    const forCustomer = await api.http.get(`/api/v1/tickets/${t.id}/comments`).set(bearer(customer.token));
    expect(forCustomer.body.map((c: { body: string }) => c.body)).toEqual(['Any news?', 'We are on it.', 'Second reply']);
    const forStaff = await api.http.get(`/api/v1/tickets/${t.id}/comments`).set(bearer(agent.token));
    expect(forStaff.body.map((c: { body: string }) => c.body)).toEqual(['Any news?', 'Looks like the tenant licence lapsed', 'We are on it.', 'Second reply']);

    const list = await events(t.id);
    expect(list.map((e) => e.type)).toEqual(['created', 'commented', 'commented', 'commented', 'first_response', 'commented']);
    expect(list.filter((e) => e.type === 'first_response')).toHaveLength(1);
    expect(list[1].actor).toEqual({ kind: 'customer', id: customer.id });
    // Each event names its comment and carries the comment's instant; the first response is the reply's.
    expect(list.slice(1).map((e) => e.data)).toEqual([
      { commentId: customerComment.body.id, visibility: 'public' },
      { commentId: internal.body.id, visibility: 'internal' },
      { commentId: reply.body.id, visibility: 'public' },
      { commentId: reply.body.id },
      { commentId: expect.any(String), visibility: 'public' },
    ]);
    expect(list[3]).toMatchObject({ actor: { kind: 'staff', id: agent.id }, at: reply.body.createdAt });
    expect(list[4]).toMatchObject({ actor: { kind: 'staff', id: agent.id }, at: reply.body.createdAt });
    // The staff author's name comes back with the comment, as the list shows it.
    const agentRow = await api.http.get(`/api/v1/agents/${agent.id}`).set(bearer(api.adminToken));
    expect(reply.body.author.name).toBe(agentRow.body.name);
    expect(forStaff.body[2].author.name).toBe(agentRow.body.name);
  });

  it('a customer reply on a ticket waiting on them records the comment, then resumes the ticket', async () => {
    const t = await newTicket();
    for (const status of ['triaged', 'in_progress', 'waiting_on_customer']) expect((await patch(t.id, { status })).status).toBe(200);
    const reply = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(customer.token)).send({ body: 'Here is the invoice number', visibility: 'public' });
    expect(reply.status).toBe(201);
    expect(reply.body.author).toEqual({ kind: 'customer', name: null });
    const ticket = await api.http.get(`/api/v1/tickets/${t.id}`).set(bearer(agent.token));
    expect(ticket.body).toMatchObject({ status: 'in_progress', firstRespondedAt: null });
    const list = await events(t.id);
    expect(list.map((e) => e.type)).toEqual(['created', 'status_changed', 'status_changed', 'status_changed', 'commented', 'status_changed']);
    expect(list[4]).toMatchObject({ actor: { kind: 'customer', id: customer.id }, data: { commentId: reply.body.id, visibility: 'public' }, at: reply.body.createdAt });
    expect(list[5].data).toMatchObject({ from: 'waiting_on_customer', to: 'in_progress' });
  });

  it('validates comments and refuses them on closed tickets', async () => {
    const t = await newTicket();
    const bad = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(agent.token)).send({ body: '', visibility: 'secret' });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['body', 'visibility']);
    const long = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(agent.token)).send({ body: 'x'.repeat(20001), visibility: 'public' });
    expect(long.status).toBe(400);
    for (const status of ['triaged', 'in_progress', 'resolved', 'closed']) await patch(t.id, { status });
    const closed = await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(agent.token)).send({ body: 'late', visibility: 'public' });
    expect(closed.status).toBe(409);
    const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_comments WHERE ticket_id = $1`, [t.id]);
    expect(rows[0].n).toBe(0);
  });

  it('resumes a ticket waiting on the customer when the customer replies', async () => {
    const t = await newTicket();
    for (const status of ['triaged', 'in_progress', 'waiting_on_customer']) await patch(t.id, { status });
    await api.http.post(`/api/v1/tickets/${t.id}/comments`).set(bearer(customer.token)).send({ body: 'Here is the screenshot', visibility: 'public' });
    const now = await api.http.get(`/api/v1/tickets/${t.id}`).set(bearer(customer.token));
    expect(now.body.status).toBe('in_progress');
    const last = (await events(t.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'status_changed', actor: { kind: 'customer', id: customer.id }, data: { from: 'waiting_on_customer', to: 'in_progress' } });
  });

  it('writes no event without its change: a failing change leaves neither', async () => {
    const t = await newTicket();
    const before = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1`, [t.id]);
    await patch(t.id, { status: 'closed', priority: 'P2' });
    const after = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1`, [t.id]);
    expect(after[0].n).toBe(before[0].n);
    // Every ticket has exactly one created event.
    const orphans = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets t WHERE (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'created') <> 1`,
    );
    expect(orphans[0].n).toBe(0);
  });
});
