import { bearer, createCustomer, createPlan, planBody, startTestApi, TestApi, ticketBody } from '../support';

/** `{"a":{"a":…1…}}`, `levels` deep. */
const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/**
 * Input that used to reach a 500 (issue #17): deeply nested JSON, NUL characters, prototype keys,
 * data PostgreSQL refuses. One rule at the edge answers each with a 400 naming the field, on every
 * route, and nothing is written.
 */
describe('hostile input gets a 400 naming the field, never a 500', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  const admin = () => bearer(api.adminToken);
  const ticketCount = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM tickets`))[0].n as number;

  beforeAll(async () => {
    api = await startTestApi();
    customer = await createCustomer(api, (await createPlan(api)).id);
  });
  afterAll(async () => {
    await api?.close();
  });

  const expectProblem = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(res.body)).not.toMatch(/RangeError|Maximum call stack|at .*\.js|SELECT|INSERT|UPDATE /);
  };
  const fields = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);

  it.each([
    ['a customer filing a ticket', 'post', '/api/v1/tickets', 'customer'],
    ['a triage dry-run', 'post', '/api/v1/triage-rules/dry-run', 'admin'],
    ['entitlements', 'put', '/api/v1/entitlements', 'admin'],
    ['a triage rule', 'post', '/api/v1/triage-rules', 'admin'],
  ] as const)('refuses 10,000 levels of nesting in %s before validation recurses', async (_what, method, path, who) => {
    const res = await api.http[method](path).set(who === 'customer' ? bearer(customer.token) : admin()).set('Content-Type', 'application/json').send(nested(10_000));
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/deeper than 32 levels/);
  });

  it('counts structure only (brackets inside strings are text), and refuses 33 levels', async () => {
    // 32 levels of brackets inside strings do not count: only structure does.
    const ok = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { description: '[[[[{{{{'.repeat(100) }));
    expect(ok.status).toBe(201);
    const deep = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).set('Content-Type', 'application/json').send(nested(33));
    expectProblem(deep, 400);
  });

  it.each([
    ['subject', { subject: 'Outlook\u0000down' }, 'subject'],
    ['description', { description: 'it\u0000fails' }, 'description'],
    ['requester name', { requester: { name: 'Marta\u0000', email: 'marta@contoso.example' } }, 'requester.name'],
    ['externalId', { externalId: 'ext-\u0000-1' }, 'externalId'],
  ])('refuses a NUL character in a ticket %s, naming the field, and files nothing', async (_what, overrides, field) => {
    const before = await ticketCount();
    const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, overrides));
    expectProblem(res, 400);
    expect(fields(res)).toEqual([field]);
    expect(await ticketCount()).toBe(before);
  });

  it('refuses NUL characters in the names of agents, customers, plans and known issues, and in comments', async () => {
    const ticket = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined));
    expect(ticket.status).toBe(201);
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['post', '/api/v1/agents', { name: 'Ana\u0000', email: 'ana-nul@partner.example', roles: ['sales_agent'] }, 'name'],
      ['post', '/api/v1/customers', { name: 'Nul\u0000 Corp', domain: 'nul.example', supportPlanId: ticket.body.customerId }, 'name'],
      ['post', '/api/v1/support-plans', planBody({ name: 'Plan\u0000' }), 'name'],
      ['post', '/api/v1/known-issues', { title: 'Known\u0000', keywords: ['x'] }, 'title'],
      ['post', `/api/v1/tickets/${ticket.body.id}/comments`, { body: 'hello\u0000', visibility: 'public' }, 'body'],
      ['patch', `/api/v1/tickets/${ticket.body.id}`, { note: 'n\u0000' }, 'note'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await (method === 'post' ? api.http.post(path) : api.http.patch(path)).set(admin()).send(body);
      expectProblem(res, 400);
      expect([path, fields(res)]).toEqual([path, expect.arrayContaining([field])]);
    }
    const [{ n }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE email = 'ana-nul@partner.example'`);
    expect(n).toBe(0);
  });

  it('refuses a NUL character in a signed callback body before its signature is even checked', async () => {
    const res = await api.http.post('/api/v1/escalations/callbacks/commercial').set('Content-Type', 'application/json').send('{"escalationId":"x","note":"a\\u0000b"}');
    expectProblem(res, 400);
    expect(fields(res)).toEqual(['note']);
  });

  it('refuses a NUL character in a query parameter or a path parameter, naming it', async () => {
    const query = await api.http.get('/api/v1/tickets?queue=a%00b').set(admin());
    expectProblem(query, 400);
    expect(fields(query)).toEqual(['queue']);
    const escalations = await api.http.get('/api/v1/escalations?status=x%00').set(admin());
    expectProblem(escalations, 400);
    expect(fields(escalations)).toEqual(['status']);
    const param = await api.http.get('/api/v1/tickets/abc%00def').set(admin());
    expectProblem(param, 400);
    expect(fields(param)).toEqual(['id']);
    const tier = await api.http.put('/api/v1/escalation-tiers/comm%00ercial').set(admin()).send({});
    expectProblem(tier, 400);
    expect(fields(tier)).toEqual(['tier']);
  });

  it.each([
    ['__proto__', '{"__proto__":{"isAdmin":true},"subject":"s","description":"d","requester":{"name":"n","email":"n@contoso.example"}}', '__proto__'],
    ['constructor.prototype', '{"constructor":{"prototype":{"x":1}},"subject":"s","description":"d","requester":{"name":"n","email":"n@contoso.example"}}', 'constructor'],
    ['a nested prototype', '{"subject":"s","description":"d","requester":{"name":"n","email":"n@contoso.example","prototype":{}}}', 'requester.prototype'],
  ])('refuses a %s key in a body like any unknown key, naming it', async (_what, body, field) => {
    const before = await ticketCount();
    const res = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).set('Content-Type', 'application/json').send(body);
    expectProblem(res, 400);
    expect(fields(res)).toEqual([field]);
    expect(res.body.errors[0].message).toBe(`property ${field} should not exist`);
    expect(await ticketCount()).toBe(before);
  });

  it('refuses prototype keys in a query string', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await api.http.get(`/api/v1/tickets?${key}=x`).set(admin());
      expectProblem(res, 400);
      expect(fields(res)).toEqual([key]);
    }
  });

  it('answers a value PostgreSQL refuses (a data exception) with a 400, not a 500', async () => {
    // A value that passes validation and that PostgreSQL refuses: a trigger reads the new agent's
    // name as an integer (SQLSTATE 22P02, invalid text representation).
    await api.dataSource.query(`CREATE FUNCTION test_name_as_int() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM NEW.name::int; RETURN NEW; END $$`);
    await api.dataSource.query(`CREATE TRIGGER test_name_as_int BEFORE INSERT ON agents FOR EACH ROW EXECUTE FUNCTION test_name_as_int()`);
    try {
      const res = await api.http.post('/api/v1/agents').set(admin()).send({ name: 'Not a number', email: 'refused@partner.example', roles: ['sales_agent'] });
      expectProblem(res, 400);
      expect(res.body).toMatchObject({ type: 'urn:helpdesk:problem:invalid-value', status: 400 });
      expect(res.body.detail).toMatch(/invalid input syntax for type integer/);
    } finally {
      await api.dataSource.query(`DROP TRIGGER test_name_as_int ON agents; DROP FUNCTION test_name_as_int()`);
    }
  });
});
