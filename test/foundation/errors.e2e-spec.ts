import { bearer, startTestApi, TestApi } from '../support';

describe('errors are problem+json and leak nothing', () => {
  let api: TestApi;
  /** POST /api/v1/agents as the admin with this exact body and Content-Type. */
  const postAgents = (contentType: string, body: string, headers: Record<string, string> = {}) =>
    api.http.post('/api/v1/agents').set(bearer(api.adminToken)).set('Content-Type', contentType).set(headers).send(body);

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const res = await postAgents('application/json', '{"name": "x", "email": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:helpdesk:problem:malformed-json', status: 400, title: 'Malformed JSON' });
    expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at .*\.js|node_modules/);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const res = await postAgents('application/json', JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), email: 'big@p.example', roles: ['sales_agent'] }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(413);
    const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE email = 'big@p.example'`);
    expect(rows[0].n).toBe(0);
  });

  it('answers a body that is not JSON with 415 and writes nothing', async () => {
    const res = await postAgents('text/plain', 'name=x&email=plain@p.example');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:helpdesk:problem:unsupported-media-type', status: 415 });
    const form = await api.http.post('/api/v1/agents').set(bearer(api.adminToken)).type('form').send({ name: 'x', email: 'form@p.example', roles: 'sales_agent' });
    expect(form.status).toBe(415);
    const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE email IN ('plain@p.example', 'form@p.example')`);
    expect(rows[0].n).toBe(0);
  });

  it('reads application/*+json bodies as JSON, and an empty JSON body as no body', async () => {
    const created = await postAgents('application/vnd.helpdesk+json; charset=utf-8', JSON.stringify({ name: 'Plus', email: 'plus@p.example', roles: ['sales_agent'] }));
    expect(created.status).toBe(201);
    const empty = await postAgents('application/json', '');
    expect(empty.status).toBe(400);
    expect(empty.body.type).toBe('urn:helpdesk:problem:validation');
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'email', 'roles']));
  });

  it('names the request id of a body refused before any route runs', async () => {
    const res = await postAgents('application/json', '{"name": ', { 'X-Request-Id': 'trace-body-1' });
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toBe('trace-body-1');
    expect(res.body.requestId).toBe('trace-body-1');
    expect(res.body.instance).toBe('/api/v1/agents');
  });

  it('routes a path with a trailing slash as the path without one', async () => {
    const res = await api.http.get('/api/v1/agents/').set(bearer(api.adminToken));
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect((await api.http.get('/health/live/')).status).toBe(200);
  });

  it('sends security headers, and neither X-Powered-By nor an ETag', async () => {
    const res = await api.http.get('/api/v1/agents').set(bearer(api.adminToken));
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    const problem = await api.http.get('/api/v1/agents');
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
  });

  it('carries the request id in the header and in the problem', async () => {
    const res = await api.http.get('/api/v1/agents').set('X-Request-Id', 'trace-123');
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
    const generated = await api.http.get('/health/live');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides internals of unexpected failures: 500 without stack or SQL', async () => {
    // Break the database under the app: the agents table disappears.
    await api.dataSource.query('ALTER TABLE agents RENAME TO agents_gone');
    try {
      const res = await api.http.get('/api/v1/agents').set(bearer(api.adminToken));
      // Whether the token lookup (which joins agents) or the listing fails first, it is a 500.
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/agents_gone|relation|SELECT|QueryFailedError|\.ts:|\.js:/);
      expect(res.body).toMatchObject({ status: 500, detail: 'An unexpected error occurred; it has been logged' });
    } finally {
      await api.dataSource.query('ALTER TABLE agents_gone RENAME TO agents');
    }
  });

  it('publishes the OpenAPI document generated from the DTOs', async () => {
    const res = await api.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/agents', '/health/ready']));
    expect(res.body.components.schemas.CreateAgentDto.required).toEqual(expect.arrayContaining(['name', 'email', 'roles']));
    const ui = await api.http.get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});
