/**
 * Agent lifecycle (issue #12) and who may change whom (issue #17): deactivation and reactivation,
 * staff tokens (list, issue, rotate, revoke), and only a global_admin changing a global_admin.
 */
import { bearer, createAgent, createCustomer, createPlan, eventually, startTestApi, TestApi, ticketBody } from '../support';

describe('agents: lifecycle, tokens and who may change whom', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let adminAgent: { id: string; token: string };
  let rootId: string;

  const asAdmin = () => bearer(api.adminToken);
  const tokensOf = async (agentId: string, token = api.adminToken) => api.http.get(`/api/v1/agents/${agentId}/tokens`).set(bearer(token));
  const auditOf = async (entityId: string) =>
    (await api.dataSource.query(`SELECT action, actor_id, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`, [entityId])) as Array<{
      action: string;
      actor_id: string | null;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }>;

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id);
    adminAgent = await createAgent(api, ['admin_agent']);
    [{ id: rootId }] = await api.dataSource.query(`SELECT id FROM agents WHERE 'global_admin' = ANY(roles) ORDER BY created_at LIMIT 1`);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('only a global_admin changes a global_admin', () => {
    it('refuses an admin_agent renaming, disabling, re-queueing or deactivating a global_admin, or touching their tokens', async () => {
      const as = bearer(adminAgent.token);
      for (const body of [{ name: 'Renamed' }, { available: false }, { maxOpenTickets: 1 }]) {
        const res = await api.http.patch(`/api/v1/agents/${rootId}`).set(as).send(body);
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect((await api.http.post(`/api/v1/agents/${rootId}/deactivate`).set(as)).status).toBe(403);
      expect((await tokensOf(rootId, adminAgent.token)).status).toBe(403);
      expect((await api.http.post(`/api/v1/agents/${rootId}/tokens`).set(as)).status).toBe(403);
      const [rootToken] = (await tokensOf(rootId)).body;
      expect((await api.http.delete(`/api/v1/agents/${rootId}/tokens/${rootToken.id}`).set(as)).status).toBe(403);
      expect((await api.http.post(`/api/v1/agents/${rootId}/tokens/${rootToken.id}/rotate`).set(as)).status).toBe(403);
      // Nothing changed.
      const root = await api.http.get(`/api/v1/agents/${rootId}`).set(asAdmin());
      expect(root.body).toMatchObject({ name: 'Administrator', available: true, maxOpenTickets: 20, deactivatedAt: null });
      expect((await api.http.get('/api/v1/agents').set(asAdmin())).status).toBe(200);
    });

    it('refuses an admin_agent changing the roles of anyone, but lets them manage other staff', async () => {
      const helper = await createAgent(api, ['helpdesk_agent']);
      const roles = await api.http.patch(`/api/v1/agents/${helper.id}`).set(bearer(adminAgent.token)).send({ roles: ['admin_agent'] });
      expect(roles.status).toBe(403);
      expect(roles.body.errors).toEqual([{ field: 'roles', message: 'may be changed by a global_admin only', code: 'notAllowed', params: {} }]);
      const renamed = await api.http.patch(`/api/v1/agents/${helper.id}`).set(bearer(adminAgent.token)).send({ name: 'Helper', queues: ['technical'] });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Helper', queues: ['technical'] });
    });

    it('lets a global_admin change another global_admin', async () => {
      const other = await createAgent(api, ['global_admin']);
      const res = await api.http.patch(`/api/v1/agents/${other.id}`).set(asAdmin()).send({ name: 'Second admin', available: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Second admin', available: false });
    });
  });

  describe('deactivation', () => {
    it("stops the agent's tokens at once and returns their open tickets to their queues unassigned, each with an event, in one go", async () => {
      const agent = await createAgent(api, ['helpdesk_agent']);
      const tickets: string[] = [];
      for (const status of ['in_progress', 'waiting_on_customer', 'resolved']) {
        const created = await api.http.post('/api/v1/tickets').set(asAdmin()).send(ticketBody(customer.id));
        tickets.push(created.body.id);
        await api.http.patch(`/api/v1/tickets/${created.body.id}`).set(asAdmin()).send({ status: 'triaged' });
        await api.dataSource.query(`UPDATE tickets SET queue = 'technical' WHERE id = $1`, [created.body.id]);
        expect((await api.http.patch(`/api/v1/tickets/${created.body.id}`).set(asAdmin()).send({ assigneeId: agent.id, status: 'in_progress' })).status).toBe(200);
        if (status !== 'in_progress') expect((await api.http.patch(`/api/v1/tickets/${created.body.id}`).set(asAdmin()).send({ status })).status).toBe(200);
      }
      expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(200);
      const [{ open_tickets: before }] = await api.dataSource.query(`SELECT open_tickets FROM agents WHERE id = $1`, [agent.id]);
      expect(before).toBe(2);
      // Staff screens read the same count: the open tickets (not the resolved one) against the cap.
      expect((await api.http.get(`/api/v1/agents/${agent.id}`).set(asAdmin())).body).toMatchObject({ openTickets: 2, maxOpenTickets: 20 });
      const listed = (await api.http.get('/api/v1/agents').set(asAdmin())).body.find((a: { id: string }) => a.id === agent.id);
      expect(listed).toMatchObject({ openTickets: 2 });

      const res = await api.http.post(`/api/v1/agents/${agent.id}/deactivate`).set(bearer(adminAgent.token));
      expect(res.status).toBe(200);
      // The answer counts after the unassignments committed, not the agent as it was loaded.
      expect(res.body).toMatchObject({ id: agent.id, available: false, deactivatedAt: expect.any(String), openTickets: 0 });
      expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(401);

      const rows = await api.dataSource.query(`SELECT id, assignee_id, queue, status FROM tickets WHERE id = ANY($1::uuid[])`, [tickets]);
      const byId = new Map(rows.map((r: { id: string }) => [r.id, r]));
      expect(byId.get(tickets[0])).toMatchObject({ assignee_id: null, queue: 'technical', status: 'in_progress' });
      expect(byId.get(tickets[1])).toMatchObject({ assignee_id: null, queue: 'technical', status: 'waiting_on_customer' });
      // A resolved ticket keeps who resolved it.
      expect(byId.get(tickets[2])).toMatchObject({ assignee_id: agent.id, status: 'resolved' });
      for (const id of tickets.slice(0, 2)) {
        const events = await api.http.get(`/api/v1/tickets/${id}/events`).set(asAdmin());
        expect(events.body.at(-1)).toMatchObject({ type: 'assigned', actor: { kind: 'staff', id: adminAgent.id }, data: { from: agent.id, to: null, reason: 'agent_deactivated' } });
      }
      const [{ open_tickets: after }] = await api.dataSource.query(`SELECT open_tickets FROM agents WHERE id = $1`, [agent.id]);
      expect(after).toBe(0);
      expect((await auditOf(agent.id)).map((e) => e.action)).toEqual(['created', 'deactivated']);

      // Deactivating again changes nothing; they cannot be made available while deactivated.
      expect((await api.http.post(`/api/v1/agents/${agent.id}/deactivate`).set(asAdmin())).status).toBe(200);
      const available = await api.http.patch(`/api/v1/agents/${agent.id}`).set(asAdmin()).send({ available: true });
      expect(available.status).toBe(409);
      expect(available.body.errors).toEqual([{ field: 'available', message: 'cannot be true for a deactivated agent', code: 'deactivated', params: {} }]);
      expect((await api.http.post(`/api/v1/agents/${agent.id}/tokens`).set(asAdmin())).status).toBe(409);
      expect((await auditOf(agent.id)).map((e) => e.action)).toEqual(['created', 'deactivated']);
    });

    it('reactivates: the old tokens work again, the agent stays unavailable until told otherwise', async () => {
      const agent = await createAgent(api, ['helpdesk_agent']);
      await api.http.post(`/api/v1/agents/${agent.id}/deactivate`).set(asAdmin());
      expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(401);
      const res = await api.http.post(`/api/v1/agents/${agent.id}/reactivate`).set(asAdmin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ deactivatedAt: null, available: false });
      expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(200);
      expect((await api.http.patch(`/api/v1/agents/${agent.id}`).set(asAdmin()).send({ available: true })).body.available).toBe(true);
      expect((await auditOf(agent.id)).map((e) => e.action)).toEqual(['created', 'deactivated', 'reactivated', 'updated']);
    });

    it('refuses deactivating yourself and the last active global_admin, and non-managers altogether', async () => {
      const self = await api.http.post(`/api/v1/agents/${adminAgent.id}/deactivate`).set(bearer(adminAgent.token));
      expect(self.status).toBe(409);
      expect(self.body.errors).toEqual([{ field: 'id', message: 'is your own agent id', code: 'yourself', params: {} }]);
      const helper = await createAgent(api, ['helpdesk_agent']);
      expect((await api.http.post(`/api/v1/agents/${adminAgent.id}/deactivate`).set(bearer(helper.token))).status).toBe(403);
      const customerTry = await api.http.post(`/api/v1/agents/${helper.id}/deactivate`).set(bearer(customer.token));
      expect(customerTry.status).toBe(403);
      expect((await api.http.post('/api/v1/agents/00000000-0000-4000-8000-000000000000/deactivate').set(asAdmin())).status).toBe(404);
      expect((await api.http.post('/api/v1/agents/not-a-uuid/deactivate').set(asAdmin())).status).toBe(404);

      // Two global_admins: one may deactivate the other, but not the last one standing.
      const second = await createAgent(api, ['global_admin']);
      const otherAdmins = await api.dataSource.query(`SELECT id FROM agents WHERE 'global_admin' = ANY(roles) AND id NOT IN ($1, $2) AND deactivated_at IS NULL`, [rootId, second.id]);
      for (const { id } of otherAdmins) expect((await api.http.post(`/api/v1/agents/${id}/deactivate`).set(asAdmin())).status).toBe(200);
      expect((await api.http.post(`/api/v1/agents/${second.id}/deactivate`).set(asAdmin())).status).toBe(200);
      const demoteLast = await api.http.patch(`/api/v1/agents/${rootId}`).set(asAdmin()).send({ roles: ['admin_agent'] });
      expect(demoteLast.status).toBe(409);
      expect(demoteLast.body.errors).toEqual([{ field: 'roles', message: 'must keep global_admin for the last global admin', code: 'lastGlobalAdmin', params: {} }]);
      await api.http.post(`/api/v1/agents/${second.id}/reactivate`).set(asAdmin());
    });
  });

  describe('tokens', () => {
    it('lists, issues (shown once), rotates and revokes; revoked and rotated tokens stop at once', async () => {
      const agent = await createAgent(api, ['helpdesk_agent']);
      const listed = await tokensOf(agent.id);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([
        {
          id: expect.any(String),
          kind: 'staff',
          agentId: agent.id,
          customerId: null,
          prefix: agent.token.slice(0, 12),
          createdAt: expect.any(String),
          lastUsedAt: null,
          revokedAt: null,
        },
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(agent.token);

      const issued = await api.http.post(`/api/v1/agents/${agent.id}/tokens`).set(bearer(agent.token));
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ kind: 'staff', agentId: agent.id, token: expect.stringMatching(/^hds_[A-Za-z0-9_-]{43}$/), revokedAt: null });
      expect(issued.body.prefix).toBe(issued.body.token.slice(0, 12));
      expect((await api.http.get('/api/v1/tickets').set(bearer(issued.body.token))).status).toBe(200);
      expect((await tokensOf(agent.id)).body.some((t: Record<string, unknown>) => 'token' in t)).toBe(false);

      const rotated = await api.http.post(`/api/v1/agents/${agent.id}/tokens/${issued.body.id}/rotate`).set(bearer(agent.token));
      expect(rotated.status).toBe(201);
      expect(rotated.body.id).not.toBe(issued.body.id);
      expect((await api.http.get('/api/v1/tickets').set(bearer(issued.body.token))).status).toBe(401);
      expect((await api.http.get('/api/v1/tickets').set(bearer(rotated.body.token))).status).toBe(200);
      const again = await api.http.post(`/api/v1/agents/${agent.id}/tokens/${issued.body.id}/rotate`).set(bearer(agent.token));
      expect(again.status).toBe(409);
      expect(again.body.errors).toEqual([{ field: 'tokenId', message: 'is revoked', code: 'revoked', params: {} }]);

      const revoked = await api.http.delete(`/api/v1/agents/${agent.id}/tokens/${rotated.body.id}`).set(bearer(adminAgent.token));
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: rotated.body.id, revokedAt: expect.any(String) });
      expect(revoked.body.token).toBeUndefined();
      expect((await api.http.get('/api/v1/tickets').set(bearer(rotated.body.token))).status).toBe(401);

      const list = (await tokensOf(agent.id)).body as Array<{ id: string; revokedAt: string | null }>;
      expect(list.map((t) => [t.id, t.revokedAt !== null])).toEqual(
        expect.arrayContaining([
          [issued.body.id, true],
          [rotated.body.id, true],
        ]),
      );
      // Audited, never with the token.
      const audit = await api.dataSource.query(`SELECT action, entity_id, before, after FROM audit_log WHERE entity = 'api_token' AND (after->>'agentId') = $1 ORDER BY id`, [agent.id]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['issued', 'issued', 'rotated', 'issued', 'revoked']);
      expect(audit.find((a: { entity_id: string; action: string }) => a.entity_id === rotated.body.id && a.action === 'issued').after.replaces).toBe(issued.body.id);
      for (const token of [agent.token, issued.body.token, rotated.body.token]) expect(JSON.stringify(audit)).not.toContain(token.slice(4));
    });

    it('records when a token was last used, at most once a minute', async () => {
      const agent = await createAgent(api, ['helpdesk_agent']);
      expect((await api.http.get('/api/v1/tickets').set(bearer(agent.token))).status).toBe(200);
      const used = await eventually(
        async () => (await tokensOf(agent.id)).body[0].lastUsedAt as string | null,
        (at) => at !== null,
        10_000,
        'lastUsedAt',
      );
      for (let i = 0; i < 5; i++) await api.http.get('/api/v1/tickets').set(bearer(agent.token));
      await new Promise((r) => setImmediate(r));
      expect((await tokensOf(agent.id)).body[0].lastUsedAt).toBe(used);
    });

    it("keeps staff to their own tokens unless they manage staff, and 404s another agent's token id", async () => {
      const a = await createAgent(api, ['helpdesk_agent']);
      const b = await createAgent(api, ['sales_agent']);
      expect((await tokensOf(a.id, a.token)).status).toBe(200);
      expect((await tokensOf(a.id, b.token)).status).toBe(403);
      expect((await api.http.post(`/api/v1/agents/${a.id}/tokens`).set(bearer(b.token))).status).toBe(403);
      const [bToken] = (await tokensOf(b.id)).body;
      expect((await api.http.delete(`/api/v1/agents/${b.id}/tokens/${bToken.id}`).set(bearer(a.token))).status).toBe(403);
      expect((await api.http.delete(`/api/v1/agents/${a.id}/tokens/${bToken.id}`).set(bearer(a.token))).status).toBe(404);
      expect((await api.http.delete(`/api/v1/agents/${a.id}/tokens/not-a-uuid`).set(bearer(a.token))).status).toBe(404);
      expect((await tokensOf(a.id, customer.token)).status).toBe(403);
      // Still working.
      expect((await api.http.get('/api/v1/customers').set(bearer(b.token))).status).toBe(200);
    });
  });
});
