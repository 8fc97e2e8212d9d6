import { randomUUID } from 'node:crypto';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

type Event = { type: string; actor: { kind: string; id: string | null }; data: Record<string, unknown> };

describe('macros', () => {
  let api: TestApi;
  let customer: { id: string; token: string; name: string };
  let agent: { id: string; token: string; name: string };
  let colleague: { id: string; token: string };
  let adminAgent: { id: string; token: string };
  let sales: { id: string; token: string };
  let billing: { id: string; token: string };

  const bodies = {
    es: 'Hola {{customer.name}}: el caso {{ticket.number}} lo lleva {{agent.name}}. Horario: {{plan.hours}}.',
    en: 'Hi {{customer.name}}: {{ticket.number}} is with {{agent.name}}. Hours: {{plan.hours}}.',
  };
  const create = (body: object, token = agent.token) => api.http.post('/api/v1/macros').set(bearer(token)).send(body);
  const macro = async (body: object = {}, token = agent.token) => {
    const res = await create({ name: `Macro ${randomUUID().slice(0, 8)}`, bodies, visibility: 'public', ...body }, token);
    if (res.status !== 201) throw new Error(`macro: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string };
  };
  const newTicket = async (requesterEmail = `someone-${randomUUID().slice(0, 6)}@contoso.example`) =>
    (await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { requester: { name: 'Marta', email: requesterEmail } }))).body as {
      id: string;
      number: string;
    };
  const apply = (ticketId: string, macroId: string, token = agent.token) => api.http.post(`/api/v1/tickets/${ticketId}/macros/${macroId}`).set(bearer(token));
  const preview = (ticketId: string, macroId: string, token = agent.token) => api.http.post(`/api/v1/tickets/${ticketId}/macros/${macroId}/preview`).set(bearer(token));
  const events = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}/events`).set(bearer(agent.token))).body as Event[];
  const comments = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}/comments`).set(bearer(agent.token))).body as Array<{ body: string; visibility: string }>;
  const ticket = async (id: string) => (await api.http.get(`/api/v1/tickets/${id}`).set(bearer(agent.token))).body;
  const auditOf = async (entityId: string) =>
    (await api.dataSource.query(`SELECT action, actor_id, before, after FROM audit_log WHERE entity = 'macro' AND entity_id = $1 ORDER BY id`, [entityId])) as Array<{
      action: string;
      actor_id: string;
    }>;

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api, { businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })) });
    const made = await createCustomer(api, plan.id, `Contoso ${randomUUID().slice(0, 6)}`);
    customer = { ...made, name: (await api.http.get(`/api/v1/customers/${made.id}`).set(bearer(api.adminToken))).body.name };
    const a = await createAgent(api, ['helpdesk_agent'], { name: 'Ana García' });
    agent = { ...a, name: 'Ana García' };
    colleague = await createAgent(api, ['helpdesk_agent']);
    adminAgent = await createAgent(api, ['admin_agent']);
    sales = await createAgent(api, ['sales_agent']);
    billing = await createAgent(api, ['billing_admin']);
    const contact = await api.http
      .post(`/api/v1/customers/${customer.id}/contacts`)
      .set(bearer(api.adminToken))
      .send({ name: 'John Smith', email: 'john@contoso.example', locale: 'en' });
    expect(contact.status).toBe(201);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('applying', () => {
    it('writes the comment in the requester’s locale with the placeholders filled, and the actions, in one transaction', async () => {
      const m = await macro({ actions: { status: 'triaged', priority: 'P2', addTags: [' Waiting-Info '], assigneeId: agent.id } });
      const t = await newTicket('JOHN@contoso.example');
      const seen = await preview(t.id, m.id);
      expect(seen.status).toBe(200);
      const english = `Hi ${customer.name}: ${t.number} is with Ana García. Hours: Mon–Fri 09:00–18:00 (Europe/Madrid).`;
      expect(seen.body).toEqual({ macroId: m.id, locale: 'en', body: english, visibility: 'public', actions: { status: 'triaged', priority: 'P2', addTags: ['waiting-info'], assigneeId: agent.id } });
      expect((await events(t.id)).map((e) => e.type)).toEqual(['created']);

      const res = await apply(t.id, m.id);
      expect(res.status).toBe(200);
      expect(res.body.locale).toBe('en');
      expect(res.body.comment).toMatchObject({ body: english, visibility: 'public' });
      expect(res.body.ticket).toMatchObject({ status: 'triaged', priority: 'P2', tags: ['waiting-info'], assigneeId: agent.id });
      expect(await ticket(t.id)).toMatchObject({ status: 'triaged', priority: 'P2', tags: ['waiting-info'], assigneeId: agent.id });
      expect((await comments(t.id)).map((c) => c.body)).toEqual([english]);
      const types = (await events(t.id)).map((e) => e.type);
      expect(types).toEqual(['created', 'commented', 'first_response', 'status_changed', 'priority_changed', 'assigned', 'tags_changed', 'macro_applied']);
      expect((await events(t.id)).at(-1)).toMatchObject({ actor: { kind: 'staff', id: agent.id }, data: { macroId: m.id, name: m.name, locale: 'en' } });
    });

    it('writes Spanish (DEFAULT_LOCALE) to a requester who is no contact, and internal notes stay internal', async () => {
      const m = await macro({ visibility: 'internal' });
      const t = await newTicket();
      const res = await apply(t.id, m.id);
      expect(res.status).toBe(200);
      expect(res.body.comment).toMatchObject({ visibility: 'internal', body: `Hola ${customer.name}: el caso ${t.number} lo lleva Ana García. Horario: lun–vie 09:00–18:00 (Europe/Madrid).` });
      const forCustomer = (await api.http.get(`/api/v1/tickets/${t.id}/comments`).set(bearer(customer.token))).body;
      expect(forCustomer).toEqual([]);
      expect((await ticket(t.id)).status).toBe('new');
    });

    it('writes nothing when an action is refused (transition not allowed, assignee who may not work it, closed ticket)', async () => {
      const t = await newTicket();
      const badTransition = await macro({ actions: { status: 'resolved' } });
      const res = await apply(t.id, badTransition.id);
      expect(res.status).toBe(409);
      const toSales = await macro({ actions: { assigneeId: sales.id } });
      const refused = await apply(t.id, toSales.id);
      expect(refused.status).toBe(409);
      expect(refused.body.errors).toEqual([{ field: 'assigneeId', message: expect.any(String), code: 'mayNotWork', params: expect.objectContaining({ roles: ['sales_agent'] }) }]);
      expect((await comments(t.id))).toEqual([]);
      expect((await events(t.id)).map((e) => e.type)).toEqual(['created']);
      expect(await ticket(t.id)).toMatchObject({ status: 'new', assigneeId: null, firstRespondedAt: null });

      const closed = await newTicket();
      for (const status of ['triaged', 'in_progress', 'resolved', 'closed']) {
        expect((await api.http.patch(`/api/v1/tickets/${closed.id}`).set(bearer(agent.token)).send({ status })).status).toBe(200);
      }
      expect((await apply(closed.id, (await macro()).id)).status).toBe(409);
      expect(await comments(closed.id)).toEqual([]);
    });

    it('refuses unknown tickets and macros, another agent’s personal macro, and callers who do not work the ticket', async () => {
      const t = await newTicket();
      const mine = await macro();
      expect((await apply(randomUUID(), mine.id)).status).toBe(404);
      expect((await apply(t.id, randomUUID())).status).toBe(404);
      expect((await preview(t.id, randomUUID())).status).toBe(404);
      expect((await apply('nope', mine.id)).status).toBe(404);
      expect((await apply(t.id, mine.id, colleague.token)).status).toBe(404);
      const shared = await macro({ scope: 'shared' }, adminAgent.token);
      for (const token of [sales.token, billing.token, customer.token]) {
        expect((await apply(t.id, shared.id, token)).status).toBe(403);
        expect((await preview(t.id, shared.id, token)).status).toBe(403);
      }
      expect((await comments(t.id))).toEqual([]);
      expect((await apply(t.id, shared.id, colleague.token)).status).toBe(200);
    });
  });

  describe('keeping them', () => {
    it('creates, lists (shared and own), changes and deletes, each change audited', async () => {
      const mine = await macro({ name: 'Need logs' });
      const shared = await macro({ scope: 'shared', name: 'Outage notice' }, adminAgent.token);
      const theirs = await macro({ name: 'Private' }, colleague.token);
      const listed = (await api.http.get('/api/v1/macros').set(bearer(agent.token))).body as Array<{ id: string }>;
      expect(listed.map((m) => m.id)).toEqual(expect.arrayContaining([mine.id, shared.id]));
      expect(listed.map((m) => m.id)).not.toContain(theirs.id);
      expect((await api.http.get(`/api/v1/macros/${theirs.id}`).set(bearer(agent.token))).status).toBe(404);

      const changed = await api.http.patch(`/api/v1/macros/${mine.id}`).set(bearer(agent.token)).send({ bodies: { en: 'Please send logs, {{customer.name}}' }, actions: { priority: 'P1' } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ bodies: { es: bodies.es, en: 'Please send logs, {{customer.name}}' }, actions: { priority: 'P1' }, scope: 'personal', ownerId: agent.id });
      expect((await api.http.delete(`/api/v1/macros/${mine.id}`).set(bearer(agent.token))).status).toBe(204);
      expect((await api.http.get(`/api/v1/macros/${mine.id}`).set(bearer(agent.token))).status).toBe(404);
      expect((await auditOf(mine.id)).map((e) => [e.action, e.actor_id])).toEqual([
        ['created', agent.id],
        ['updated', agent.id],
        ['deleted', agent.id],
      ]);
      expect((await auditOf(shared.id)).map((e) => e.action)).toEqual(['created']);
    });

    it('refuses unknown placeholders, sections and partials, naming the body, and writes nothing', async () => {
      for (const [body, field, text, code] of [
        [{ es: 'Hola {{customer.email}}', en: 'Hi' }, 'bodies.es', 'unknown placeholder {{customer.email}}', 'unknownPlaceholder'],
        [{ es: 'Hola', en: '{{#ticket.number}}x{{/ticket.number}}' }, 'bodies.en', 'sections', 'onlyPlaceholders'],
        [{ es: 'Hola', en: '{{> header}}' }, 'bodies.en', 'partials', 'onlyPlaceholders'],
        [{ es: 'Hola {{customer.name', en: 'Hi' }, 'bodies.es', 'not a valid template', 'templateSyntax'],
      ] as const) {
        const res = await create({ name: `Bad ${randomUUID().slice(0, 6)}`, bodies: body, visibility: 'public' });
        expect([field, res.status]).toEqual([field, 400]);
        expect(res.body.errors).toEqual([{ field, message: expect.stringContaining(text), code, params: expect.any(Object) }]);
      }
      const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM macros WHERE name LIKE 'Bad %'`);
      expect(n).toBe(0);
    });

    it('validates every field with a 400 naming it', async () => {
      const cases: Array<[object, string]> = [
        [{ bodies, visibility: 'public' }, 'name'],
        [{ name: '', bodies, visibility: 'public' }, 'name'],
        [{ name: 'x', visibility: 'public' }, 'bodies'],
        [{ name: 'x', bodies: { es: 'Hola' }, visibility: 'public' }, 'bodies.en'],
        [{ name: 'x', bodies, visibility: 'everyone' }, 'visibility'],
        [{ name: 'x', bodies, visibility: 'public', scope: 'team' }, 'scope'],
        [{ name: 'x', bodies, visibility: 'public', actions: { status: 'done' } }, 'actions.status'],
        [{ name: 'x', bodies, visibility: 'public', actions: { addTags: ['no spaces allowed'] } }, 'actions.addTags'],
        [{ name: 'x', bodies, visibility: 'public', actions: { assigneeId: 'bob' } }, 'actions.assigneeId'],
        [{ name: 'x', bodies, visibility: 'public', actions: { assigneeId: randomUUID() } }, 'actions.assigneeId'],
      ];
      for (const [body, field] of cases) {
        const res = await create(body);
        expect([field, res.status]).toEqual([field, 400]);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('keeps names unique (409) and shared macros to admins (403), personal ones to their owner', async () => {
      const first = await macro({ name: 'Greeting' });
      const taken = await create({ name: 'greeting', bodies, visibility: 'public' });
      expect(taken.status).toBe(409);
      expect(taken.body.errors).toEqual([{ field: 'name', message: expect.any(String), code: 'taken', params: {} }]);
      expect((await create({ name: 'Greeting', bodies, visibility: 'public' }, colleague.token)).status).toBe(201);

      const sharedByAgent = await create({ name: 'Team greeting', bodies, visibility: 'public', scope: 'shared' });
      expect(sharedByAgent.status).toBe(403);
      expect(sharedByAgent.body.errors[0].field).toBe('scope');
      expect((await api.http.patch(`/api/v1/macros/${first.id}`).set(bearer(agent.token)).send({ scope: 'shared' })).status).toBe(403);
      const shared = await macro({ scope: 'shared' }, adminAgent.token);
      expect((await api.http.patch(`/api/v1/macros/${shared.id}`).set(bearer(agent.token)).send({ name: 'Mine now' })).status).toBe(403);
      expect((await api.http.delete(`/api/v1/macros/${shared.id}`).set(bearer(agent.token))).status).toBe(403);
      expect((await api.http.patch(`/api/v1/macros/${first.id}`).set(bearer(colleague.token)).send({ name: 'Stolen' })).status).toBe(404);
      expect((await api.http.delete(`/api/v1/macros/${first.id}`).set(bearer(colleague.token))).status).toBe(404);
      for (const token of [sales.token, billing.token, customer.token]) {
        expect((await api.http.get('/api/v1/macros').set(bearer(token))).status).toBe(403);
        expect((await create({ name: 'Nope', bodies, visibility: 'public' }, token)).status).toBe(403);
      }
      expect((await api.http.get(`/api/v1/macros/${first.id}`).set(bearer(agent.token))).body.name).toBe('Greeting');
      expect((await auditOf(shared.id)).map((e) => e.action)).toEqual(['created']);
    });
  });
});
