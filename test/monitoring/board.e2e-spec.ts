import { ALL_QUEUES } from '@helpdesk/queue';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi } from '../support';

const basic = (password: string, user = 'admin') => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('Bull Board at /admin/queues', () => {
  let api: TestApi;
  let helpdeskAgent: string;
  let adminAgent: string;

  beforeAll(async () => {
    api = await startTestApi();
    helpdeskAgent = (await createAgent(api, ['helpdesk_agent'])).token;
    adminAgent = (await createAgent(api, ['admin_agent'])).token;
  });
  afterAll(async () => {
    await api.close();
  });

  it('asks for credentials (401 with a Basic challenge) without a token or with an unknown one', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/does-not-matter.js']) {
      const res = await api.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="helpdesk"/);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await api.http.get('/admin/queues').set(bearer('hds_not_a_token'))).status).toBe(401);
    expect((await api.http.get('/admin/queues').set(basic('hds_not_a_token'))).status).toBe(401);
    expect((await api.http.get('/admin/queues').set(basic(''))).status).toBe(401);
    // The board's actions (any method) are behind the same check.
    expect((await api.http.put('/admin/queues/api/queues/triage/pause')).status).toBe(401);
  });

  it('refuses (403) staff without an admin role and customers', async () => {
    const res = await api.http.get('/admin/queues').set(bearer(helpdeskAgent));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect((await api.http.get('/admin/queues/api/queues').set(basic(helpdeskAgent))).status).toBe(403);
    expect((await api.http.put('/admin/queues/api/queues/triage/pause').set(bearer(helpdeskAgent))).status).toBe(403);
    const customer = await createCustomer(api, (await createPlan(api)).id);
    expect((await api.http.get('/admin/queues').set(bearer(customer.token))).status).toBe(403);
  });

  it('serves the board to global_admin and admin_agent, by bearer token or Basic with the token as password', async () => {
    for (const headers of [bearer(api.adminToken), basic(api.adminToken), bearer(adminAgent), basic(adminAgent, 'anyone')]) {
      const res = await api.http.get('/admin/queues').set(headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<html');
    }
    // The page's assets resolve under the board's own path (not under /api/v1), behind the same check.
    const page = (await api.http.get('/admin/queues').set(bearer(adminAgent))).text;
    expect(page).toContain('<base href="/admin/queues/" />');
    const script = /<script[^>]* src="(static\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = `/admin/queues/${script}`;
    expect((await api.http.get(asset).set(bearer(adminAgent))).status).toBe(200);
    expect((await api.http.get(asset)).status).toBe(401);
  });

  it('lists every queue of the helpdesk in its API, and is not served under /api/v1', async () => {
    const res = await api.http.get('/admin/queues/api/queues').set(bearer(adminAgent));
    expect(res.status).toBe(200);
    const names = (res.body.queues as Array<{ name: string }>).map((q) => q.name).sort();
    expect(names).toEqual([...ALL_QUEUES].sort());
    expect((await api.http.get('/api/v1/admin/queues').set(bearer(api.adminToken))).status).toBe(404);
  });
});
