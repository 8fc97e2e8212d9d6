import { bearer, startTestApi, TestApi } from '../support';

describe('errors are problem+json and leak nothing', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const res = await api.http
      .post('/api/v1/agents')
      .set(bearer(api.adminToken))
      .set('Content-Type', 'application/json')
      .send('{"name": "x", "email": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:helpdesk:problem:malformed-json', status: 400, title: 'Malformed JSON' });
    expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at .*\.js|node_modules/);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const res = await api.http
      .post('/api/v1/agents')
      .set(bearer(api.adminToken))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), email: 'big@p.example', roles: ['sales_agent'] }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(413);
    const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE email = 'big@p.example'`);
    expect(rows[0].n).toBe(0);
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
