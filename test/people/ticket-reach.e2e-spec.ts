/**
 * Issue #17, "roles doing what they must not": each role's reach into tickets (libs/auth/README.md),
 * enforced by the services: billing_admin files and works billing tickets only; sales_agent and
 * billing_admin read the public part of the others (no internal comments, no internal timeline,
 * no escalations); only staff who work a ticket record its first response; an assignee must be an
 * active agent who works such tickets.
 */
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';
import { escalate, putEntitlements, NO_CONTRACT, workedTicket } from '../escalation/support';

describe('what each role may do with a ticket', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let helpdesk: { id: string; token: string };
  let billing: { id: string; token: string };
  let sales: { id: string; token: string };
  let billingTicket: string;
  let technicalTicket: string;

  const asAdmin = () => bearer(api.adminToken);
  const firstResponse = async (id: string) => (await api.dataSource.query(`SELECT first_responded_at FROM tickets WHERE id = $1`, [id]))[0].first_responded_at;
  const internalNote = (id: string) => api.http.post(`/api/v1/tickets/${id}/comments`).set(bearer(helpdesk.token)).send({ body: 'Internal: card declined twice', visibility: 'internal' });

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api)).id);
    [helpdesk, billing, sales] = await Promise.all([createAgent(api, ['helpdesk_agent']), createAgent(api, ['billing_admin']), createAgent(api, ['sales_agent'])]);
    await putEntitlements(api, 'gold', NO_CONTRACT, NO_CONTRACT);
    billingTicket = await workedTicket(api, customer.id, { category: 'billing', priority: 'P3' });
    technicalTicket = await workedTicket(api, customer.id, { category: 'technical', priority: 'P3' });
    for (const id of [billingTicket, technicalTicket]) {
      expect((await api.http.post(`/api/v1/tickets/${id}/retriage`).set(asAdmin())).status).toBe(200);
      expect((await internalNote(id)).status).toBe(201);
      expect((await api.http.patch(`/api/v1/tickets/${id}`).set(asAdmin()).send({ assigneeId: helpdesk.id })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await api.close();
  });

  describe('billing_admin', () => {
    it('files billing tickets only', async () => {
      for (const extra of [{ category: 'technical' }, { category: 'subscription_management' }, {}]) {
        const res = await api.http.post('/api/v1/tickets').set(bearer(billing.token)).send(ticketBody(customer.id, extra));
        expect(res.status).toBe(403);
        expect(res.body.errors).toEqual([{ field: 'category', message: 'must be billing for a billing_admin', code: 'invalid', params: {} }]);
      }
      expect((await api.http.post('/api/v1/tickets').set(bearer(billing.token)).send(ticketBody(customer.id, { category: 'billing' }))).status).toBe(201);
    });

    it('comments on billing tickets only, and only there records the first response', async () => {
      const fresh = async (category: string) => (await api.http.post('/api/v1/tickets').set(asAdmin()).send(ticketBody(customer.id, { category }))).body.id as string;
      const technical = await fresh('technical');
      for (const visibility of ['public', 'internal']) {
        const res = await api.http.post(`/api/v1/tickets/${technical}/comments`).set(bearer(billing.token)).send({ body: 'We refunded you', visibility });
        expect(res.status).toBe(403);
      }
      expect(await firstResponse(technical)).toBeNull();
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_comments WHERE ticket_id = $1`, [technical]);
      expect(n).toBe(0);

      const billingOne = await fresh('billing');
      const res = await api.http.post(`/api/v1/tickets/${billingOne}/comments`).set(bearer(billing.token)).send({ body: 'We refunded the invoice', visibility: 'public' });
      expect(res.status).toBe(201);
      expect(res.body.author).toMatchObject({ kind: 'staff', id: billing.id, name: expect.any(String) });
      expect(await firstResponse(billingOne)).not.toBeNull();
    });

    it("works billing tickets in full: internal comments, the whole timeline, the triage notes", async () => {
      const comments = await api.http.get(`/api/v1/tickets/${billingTicket}/comments`).set(bearer(billing.token));
      expect(comments.body.map((c: { visibility: string }) => c.visibility)).toContain('internal');
      const events = await api.http.get(`/api/v1/tickets/${billingTicket}/events`).set(bearer(billing.token));
      expect(events.body.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['triaged', 'assigned', 'commented']));
      const ticket = await api.http.get(`/api/v1/tickets/${billingTicket}`).set(bearer(billing.token));
      expect(ticket.body).toHaveProperty('diagnosis');
    });
  });

  describe.each([
    ['sales_agent', () => sales],
    ['billing_admin', () => billing],
  ])('%s on a ticket it does not work', (_role, who) => {
    it('reads the ticket, its public comments and public timeline; nothing internal', async () => {
      const token = who().token;
      const ticket = await api.http.get(`/api/v1/tickets/${technicalTicket}`).set(bearer(token));
      expect(ticket.status).toBe(200);
      expect(ticket.body).not.toHaveProperty('diagnosis');
      expect(ticket.body).not.toHaveProperty('prioritySuggestion');

      const comments = await api.http.get(`/api/v1/tickets/${technicalTicket}/comments`).set(bearer(token));
      expect(comments.status).toBe(200);
      expect(comments.body.every((c: { visibility: string }) => c.visibility === 'public')).toBe(true);
      expect(JSON.stringify(comments.body)).not.toContain('card declined');

      const events = await api.http.get(`/api/v1/tickets/${technicalTicket}/events`).set(bearer(token));
      expect(events.status).toBe(200);
      const types = new Set(events.body.map((e: { type: string }) => e.type));
      expect([...types].every((t) => ['created', 'status_changed', 'commented'].includes(t as string))).toBe(true);
      expect(JSON.stringify(events.body)).not.toContain(helpdesk.id);

      const list = await api.http.get(`/api/v1/tickets?customerId=${customer.id}`).set(bearer(token));
      expect(list.status).toBe(200);
      expect(list.body.items.find((t: { id: string }) => t.id === technicalTicket)).not.toHaveProperty('diagnosis');
    });

    it('neither changes it nor comments on it', async () => {
      const token = who().token;
      expect((await api.http.patch(`/api/v1/tickets/${technicalTicket}`).set(bearer(token)).send({ priority: 'P1' })).status).toBe(403);
      expect((await api.http.post(`/api/v1/tickets/${technicalTicket}/comments`).set(bearer(token)).send({ body: 'hi', visibility: 'public' })).status).toBe(403);
      expect((await api.http.post(`/api/v1/tickets/${technicalTicket}/escalations`).set(bearer(token)).send({ reason: 'r' })).status).toBe(403);
    });
  });

  describe('escalations', () => {
    let billingEscalation: string;
    let technicalEscalation: string;

    beforeAll(async () => {
      const b = await escalate(api, await workedTicket(api, customer.id, { category: 'billing', priority: 'P2' }));
      const t = await escalate(api, await workedTicket(api, customer.id, { category: 'technical', priority: 'P2' }));
      expect([b.status, t.status]).toEqual([202, 202]);
      billingEscalation = b.body.id;
      technicalEscalation = t.body.id;
    });

    it('are read by ticket workers; by billing_admin for billing tickets only; never by sales_agent', async () => {
      const ids = async (token: string) => (await api.http.get('/api/v1/escalations?limit=200').set(bearer(token))).body.items.map((e: { id: string }) => e.id);
      expect(await ids(helpdesk.token)).toEqual(expect.arrayContaining([billingEscalation, technicalEscalation]));
      const billingSees = await ids(billing.token);
      expect(billingSees).toContain(billingEscalation);
      expect(billingSees).not.toContain(technicalEscalation);
      expect((await api.http.get(`/api/v1/escalations/${billingEscalation}`).set(bearer(billing.token))).status).toBe(200);
      expect((await api.http.get(`/api/v1/escalations/${technicalEscalation}`).set(bearer(billing.token))).status).toBe(403);
      expect((await api.http.get('/api/v1/escalations').set(bearer(sales.token))).status).toBe(403);
      expect((await api.http.get(`/api/v1/escalations/${billingEscalation}`).set(bearer(sales.token))).status).toBe(403);
      expect((await api.http.get('/api/v1/escalations').set(bearer(customer.token))).status).toBe(403);
    });
  });

  describe('assignment', () => {
    const assign = (ticketId: string, assigneeId: string) => api.http.patch(`/api/v1/tickets/${ticketId}`).set(asAdmin()).send({ assigneeId });
    const events = async (ticketId: string) => (await api.dataSource.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1`, [ticketId]))[0].n;

    it('refuses, naming assigneeId, an agent who may not work the ticket, is deactivated or holds no valid token; writes nothing', async () => {
      const deactivated = await createAgent(api, ['helpdesk_agent']);
      await api.http.post(`/api/v1/agents/${deactivated.id}/deactivate`).set(asAdmin());
      const tokenless = await createAgent(api, ['helpdesk_agent']);
      await api.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE agent_id = $1`, [tokenless.id]);
      const before = await events(technicalTicket);
      for (const [agentId, why, code, params] of [
        [sales.id, /does not work technical tickets/, 'mayNotWork', { roles: ['sales_agent'], category: 'technical' }],
        [billing.id, /does not work technical tickets/, 'mayNotWork', { roles: ['billing_admin'], category: 'technical' }],
        [deactivated.id, /deactivated/, 'deactivated', {}],
        [tokenless.id, /no valid token/, 'noToken', {}],
      ] as const) {
        const res = await assign(technicalTicket, agentId);
        expect(res.status).toBe(409);
        expect(res.body.errors).toEqual([{ field: 'assigneeId', message: expect.stringMatching(why), code, params }]);
      }
      const unknown = await assign(technicalTicket, '6f1c1f32-3c1f-4c52-9d55-8f5e1c2b7a10');
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('assigneeId');
      expect(await events(technicalTicket)).toBe(before);
      const [{ assignee_id }] = await api.dataSource.query(`SELECT assignee_id FROM tickets WHERE id = $1`, [technicalTicket]);
      expect(assignee_id).toBe(helpdesk.id);
    });

    it('lets billing_admin be given a billing ticket', async () => {
      expect((await assign(billingTicket, billing.id)).status).toBe(200);
    });

    it("never lets triage's agent pick choose a deactivated agent or one without a valid token", async () => {
      const queue = 'pick-check';
      const agents = await Promise.all([1, 2, 3].map(() => createAgent(api, ['helpdesk_agent'])));
      for (const a of agents) await api.http.patch(`/api/v1/agents/${a.id}`).set(asAdmin()).send({ queues: [queue] });
      await api.http.post(`/api/v1/agents/${agents[0].id}/deactivate`).set(asAdmin());
      await api.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE agent_id = $1`, [agents[1].id]);
      const runner = api.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        // Even marked available behind the service's back, a deactivated agent is not picked.
        await runner.query(`UPDATE agents SET available = true WHERE id = $1`, [agents[0].id]);
        const [first] = await runner.query(`SELECT agent_id FROM pick_agent($1, now(), false)`, [queue]);
        expect(first.agent_id).toBe(agents[2].id);
        await runner.query(`UPDATE agents SET deactivated_at = now() WHERE id = $1`, [agents[2].id]);
        const [none] = await runner.query(`SELECT agent_id, busy FROM pick_agent($1, now(), false)`, [queue]);
        expect(none).toEqual({ agent_id: null, busy: false });
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });
});
