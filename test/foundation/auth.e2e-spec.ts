import { bearer, startTestApi, TestApi } from '../support';

describe('auth: bearer tokens, roles and agents', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('rejects a missing token with 401 problem+json and a WWW-Authenticate header', async () => {
    const res = await api.http.get('/api/v1/agents');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', type: expect.stringContaining('urn:helpdesk:problem') });
  });

  it('rejects an unknown token and a malformed Authorization header with 401', async () => {
    expect((await api.http.get('/api/v1/agents').set(bearer('hds_not-a-real-token'))).status).toBe(401);
    expect((await api.http.get('/api/v1/agents').set('Authorization', `Basic ${api.adminToken}`)).status).toBe(401);
    expect((await api.http.get('/api/v1/agents').set('Authorization', 'Bearer')).status).toBe(401);
  });

  it('lets the bootstrap global_admin create an agent whose token is shown once and works', async () => {
    const created = await api.http
      .post('/api/v1/agents')
      .set(bearer(api.adminToken))
      .send({ name: 'Ana García', email: 'Ana@Partner.example', roles: ['helpdesk_agent'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Ana García',
      email: 'ana@partner.example',
      roles: ['helpdesk_agent'],
      queues: [],
      maxOpenTickets: 20,
      openTickets: 0,
      available: true,
      locale: null,
      deactivatedAt: null,
      createdAt: expect.any(String),
      token: expect.stringMatching(/^hds_[A-Za-z0-9_-]{43}$/),
    });

    // Only the hash is stored.
    const stored = await api.dataSource.query('SELECT token_hash FROM api_tokens WHERE agent_id = $1', [created.body.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(created.body.token);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

    // The listing never shows tokens.
    const list = await api.http.get('/api/v1/agents').set(bearer(api.adminToken));
    expect(list.status).toBe(200);
    expect(list.body.map((a: { email: string }) => a.email)).toEqual(['admin@helpdesk.local', 'ana@partner.example']);
    expect(JSON.stringify(list.body)).not.toContain('token');

    // A helpdesk_agent may not create agents or list them: 403.
    const forbidden = await api.http
      .post('/api/v1/agents')
      .set(bearer(created.body.token))
      .send({ name: 'X', email: 'x@partner.example', roles: ['global_admin'] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await api.http.get('/api/v1/agents').set(bearer(created.body.token))).status).toBe(403);
    const count = await api.dataSource.query('SELECT count(*)::int AS n FROM agents');
    expect(count[0].n).toBe(2);
  });

  it('lets an admin_agent list agents but not create them', async () => {
    const admin = await api.http
      .post('/api/v1/agents')
      .set(bearer(api.adminToken))
      .send({ name: 'Admin Agent', email: 'admin.agent@partner.example', roles: ['admin_agent'] });
    expect(admin.status).toBe(201);
    expect((await api.http.get('/api/v1/agents').set(bearer(admin.body.token))).status).toBe(200);
    const denied = await api.http
      .post('/api/v1/agents')
      .set(bearer(admin.body.token))
      .send({ name: 'Y', email: 'y@partner.example', roles: ['sales_agent'] });
    expect(denied.status).toBe(403);
  });

  it('refuses a duplicate email with 409 and writes nothing', async () => {
    const body = { name: 'Dup', email: 'dup@partner.example', roles: ['sales_agent'] };
    expect((await api.http.post('/api/v1/agents').set(bearer(api.adminToken)).send(body)).status).toBe(201);
    const again = await api.http.post('/api/v1/agents').set(bearer(api.adminToken)).send({ ...body, email: 'DUP@partner.example' });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'email', message: 'is already used by another agent', code: 'taken', params: {} }]);
    const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE email = 'dup@partner.example'`);
    expect(rows[0].n).toBe(1);
  });

  it('validates the agent body field by field', async () => {
    const before = await api.dataSource.query('SELECT count(*)::int AS n FROM agents');
    const res = await api.http
      .post('/api/v1/agents')
      .set(bearer(api.adminToken))
      .send({ name: '', email: 'not-an-email', roles: ['boss'], isAdmin: true });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'isAdmin', 'name', 'roles']);
    const empty = await api.http.post('/api/v1/agents').set(bearer(api.adminToken)).send({ name: 'Z', email: 'z@p.example', roles: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'roles', message: expect.stringContaining('roles'), code: 'arrayMinSize', params: { min: 1 } }]);
    const after = await api.dataSource.query('SELECT count(*)::int AS n FROM agents');
    expect(after[0].n).toBe(before[0].n);
  });

  it.each(['name', 'roles', 'queues', 'maxOpenTickets', 'available'])('refuses %s: null in an agent patch with 400, keeping the agent', async (field) => {
    const agent = await api.http.post('/api/v1/agents').set(bearer(api.adminToken)).send({ name: `Null ${field}`, email: `null-${field.toLowerCase()}@partner.example`, roles: ['helpdesk_agent'] });
    expect(agent.status).toBe(201);
    const res = await api.http.patch(`/api/v1/agents/${agent.body.id}`).set(bearer(api.adminToken)).send({ [field]: null });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const { token: _token, ...stored } = agent.body;
    expect((await api.http.get(`/api/v1/agents/${agent.body.id}`).set(bearer(api.adminToken))).body).toEqual(stored);
  });

  it('gives queues (to be assigned tickets from) only to agents who may work tickets', async () => {
    const agent = async (roles: string[]) => (await api.http.post('/api/v1/agents').set(bearer(api.adminToken)).send({ name: roles.join('+'), email: `${roles.join('.')}@queues.example`, roles })).body;
    for (const roles of [['sales_agent'], ['billing_admin']]) {
      const readOnly = await agent(roles);
      const res = await api.http.patch(`/api/v1/agents/${readOnly.id}`).set(bearer(api.adminToken)).send({ queues: ['billing'] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([['queues', 'noTicketWork']]);
      expect((await api.http.get(`/api/v1/agents/${readOnly.id}`).set(bearer(api.adminToken))).body.queues).toEqual([]);
    }
    const worker = await agent(['helpdesk_agent', 'billing_admin']);
    await api.http.patch(`/api/v1/agents/${worker.id}`).set(bearer(api.adminToken)).send({ queues: ['billing'] }).expect(200);
    const demoted = await api.http.patch(`/api/v1/agents/${worker.id}`).set(bearer(api.adminToken)).send({ roles: ['billing_admin'] });
    expect(demoted.status).toBe(400);
    expect(demoted.body.errors.map((e: { field: string }) => e.field)).toEqual(['roles']);
    await api.http.patch(`/api/v1/agents/${worker.id}`).set(bearer(api.adminToken)).send({ roles: ['billing_admin'], queues: [] }).expect(200);
  });

  it('returns 404 problems for unknown ids and unknown routes', async () => {
    const unknown = await api.http.get('/api/v1/agents/2b1f5a8e-1111-4c1d-9a0e-0123456789ab').set(bearer(api.adminToken));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, title: 'Not Found' });
    const notUuid = await api.http.get('/api/v1/agents/abc').set(bearer(api.adminToken));
    expect(notUuid.status).toBe(404);
    const route = await api.http.get('/api/v1/no-such-thing').set(bearer(api.adminToken));
    expect(route.status).toBe(404);
    expect(route.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
