/**
 * What a customer sees (issues #17 and #12): a portal's view of their own tickets — the agent's
 * name, a public status, never a staff id, an assignee id or an internal queue name — and the
 * public part of their tickets' timelines; another customer's ticket does not exist for them.
 */
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';
import { escalate } from '../escalation/support';

describe("the customer's view of their tickets", () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  let agent: { id: string; token: string };
  let ticketId: string;
  const QUEUE = 'tier2-internal-azure';

  const asCustomer = () => bearer(customer.token);
  const staffIds = () => [agent.id];
  const leaksNothing = (body: unknown) => {
    const json = JSON.stringify(body);
    for (const id of staffIds()) expect(json).not.toContain(id);
    expect(json).not.toContain(QUEUE);
    expect(json).not.toContain('assigneeId');
  };

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id, 'Contoso Portal');
    other = await createCustomer(api, plan.id, 'Northwind Portal');
    agent = await createAgent(api, ['helpdesk_agent'], { name: 'Ana García' });
    const created = await api.http.post('/api/v1/tickets').set(asCustomer()).send(ticketBody(undefined, { category: 'billing', subject: 'Invoice 42 is wrong' }));
    ticketId = created.body.id;
    const patch = (body: Record<string, unknown>) => api.http.patch(`/api/v1/tickets/${ticketId}`).set(bearer(api.adminToken)).send(body);
    expect((await patch({ status: 'triaged' })).status).toBe(200);
    await api.dataSource.query(`UPDATE tickets SET queue = $2 WHERE id = $1`, [ticketId, QUEUE]);
    expect((await patch({ assigneeId: agent.id, status: 'in_progress', priority: 'P2' })).status).toBe(200);
    const comment = (token: string, body: string, visibility: string) => api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(bearer(token)).send({ body, visibility });
    expect((await comment(agent.token, 'Looking into the invoice now', 'public')).status).toBe(201);
    expect((await comment(agent.token, 'Internal: customer is 40 days overdue', 'internal')).status).toBe(201);
    expect((await comment(customer.token, 'Thanks!', 'public')).status).toBe(201);
    expect((await escalate(api, ticketId)).status).toBe(202);
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows the ticket as a portal would: the agent by name, the public status, no staff ids or queues', async () => {
    const res = await api.http.get(`/api/v1/tickets/${ticketId}`).set(asCustomer());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ticketId, status: 'escalated_to_vendor', assignee: { name: 'Ana García' }, customerId: customer.id });
    expect(res.body).not.toHaveProperty('assigneeId');
    expect(res.body).not.toHaveProperty('queue');
    expect(res.body).not.toHaveProperty('diagnosis');
    leaksNothing(res.body);

    const list = await api.http.get('/api/v1/tickets').set(asCustomer());
    const mine = list.body.items.find((t: { id: string }) => t.id === ticketId);
    expect(mine).toMatchObject({ status: 'escalated_to_vendor', assignee: { name: 'Ana García' } });
    leaksNothing(list.body);

    // Staff see the working fields.
    const staff = await api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(agent.token));
    expect(staff.body).toMatchObject({ status: 'escalated', assigneeId: agent.id, queue: QUEUE });
  });

  it('shows a new ticket as open and unassigned, also on an idempotent repeat', async () => {
    const body = ticketBody(undefined, { externalId: 'portal-1' });
    const created = await api.http.post('/api/v1/tickets').set(asCustomer()).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', assignee: null });
    expect(created.body).not.toHaveProperty('queue');
    await api.http.patch(`/api/v1/tickets/${created.body.id}`).set(bearer(api.adminToken)).send({ status: 'triaged', assigneeId: agent.id });
    const repeat = await api.http.post('/api/v1/tickets').set(asCustomer()).send(body);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ id: created.body.id, status: 'open', assignee: { name: 'Ana García' } });
    leaksNothing(repeat.body);
  });

  it('names comment authors without staff ids, and hides internal comments', async () => {
    const res = await api.http.get(`/api/v1/tickets/${ticketId}/comments`).set(asCustomer());
    expect(res.status).toBe(200);
    expect(res.body.map((c: { author: unknown; body: string }) => [c.author, c.body])).toEqual([
      [{ kind: 'staff', name: 'Ana García' }, 'Looking into the invoice now'],
      [{ kind: 'customer', name: null }, 'Thanks!'],
    ]);
    leaksNothing(res.body);
    const another = await api.http.post('/api/v1/tickets').set(asCustomer()).send(ticketBody(undefined));
    const posted = await api.http.post(`/api/v1/tickets/${another.body.id}/comments`).set(asCustomer()).send({ body: 'Any news?', visibility: 'public' });
    expect(posted.status).toBe(201);
    expect(posted.body.author).toEqual({ kind: 'customer', name: null });
  });

  it('gives the public part of the timeline: created, status changes (escalated as a plain status), public comments', async () => {
    const res = await api.http.get(`/api/v1/tickets/${ticketId}/events`).set(asCustomer());
    expect(res.status).toBe(200);
    expect(res.body.map((e: { type: string; actor: unknown; data: unknown }) => [e.type, e.actor, e.data])).toEqual([
      ['created', { kind: 'customer', name: null }, { number: expect.stringMatching(/^HD-/), channel: 'portal' }],
      ['status_changed', { kind: 'staff', name: 'Administrator' }, { from: 'open', to: 'in_progress' }],
      ['commented', { kind: 'staff', name: 'Ana García' }, { commentId: expect.any(String) }],
      ['commented', { kind: 'customer', name: null }, { commentId: expect.any(String) }],
      ['status_changed', { kind: 'staff', name: 'Administrator' }, { from: 'in_progress', to: 'escalated_to_vendor' }],
    ]);
    leaksNothing(res.body);
    const json = JSON.stringify(res.body);
    for (const hidden of ['commercial', 'tier', 'escalationId', 'triaged', 'assigned', 'priority', 'overdue', 'first_response']) expect(json).not.toContain(hidden);
    // The public comments it points to are the ones the customer can read.
    const comments = await api.http.get(`/api/v1/tickets/${ticketId}/comments`).set(asCustomer());
    const ids = comments.body.map((c: { id: string }) => c.id);
    for (const e of res.body.filter((x: { type: string }) => x.type === 'commented')) expect(ids).toContain(e.data.commentId);
  });

  it("404s another customer's ticket, its comments and its timeline", async () => {
    for (const path of ['', '/comments', '/events']) {
      const res = await api.http.get(`/api/v1/tickets/${ticketId}${path}`).set(bearer(other.token));
      expect(res.status).toBe(404);
      expect(res.body.title).toBeDefined();
    }
  });
});
