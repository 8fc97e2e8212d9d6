import { bearer, startTestApi, TestApi } from '../support';

const basic = (token: string) => ({ Authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` });

/**
 * A browser sends the board's Basic credentials along with any request to it, also from another
 * site's page: the board takes changes from its own pages only, and JSON bodies only.
 */
describe('Bull Board refuses cross-site writes', () => {
  let api: TestApi;
  const pause = '/admin/queues/api/queues/triage/pause';
  const resume = '/admin/queues/api/queues/triage/resume';
  const add = '/admin/queues/api/queues/triage/add';

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses a write another site makes the browser send, whatever the credentials', async () => {
    for (const headers of [{ 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'http://evil.example' }, { Origin: 'null' }]) {
      const res = await api.http.put(pause).set(basic(api.adminToken)).set(headers);
      expect([headers, res.status, res.headers['content-type']]).toEqual([headers, 403, expect.stringMatching(/^application\/problem\+json/)]);
    }
    const form = await api.http.post(add).set(basic(api.adminToken)).set('Content-Type', 'text/plain').send('{"name":"x","data":{}}');
    expect(form.status).toBe(415);
    const bodiless = await api.http.post(add).set(basic(api.adminToken));
    expect(bodiless.status).toBe(415);
    const paused = await api.http.get('/admin/queues/api/queues').set(basic(api.adminToken));
    expect(paused.body.queues.find((q: { name: string }) => q.name === 'triage').isPaused).toBe(false);
  });

  it("takes writes from the board's own pages, and sends neither X-Powered-By nor lets itself be framed", async () => {
    const host = new URL(api.url).host;
    const own = await api.http.put(pause).set(bearer(api.adminToken)).set({ 'Sec-Fetch-Site': 'same-origin', Origin: `http://${host}` });
    expect(own.status).toBe(200);
    const typed = await api.http.put(resume).set(bearer(api.adminToken));
    expect(typed.status).toBe(200);
    const page = await api.http.get('/admin/queues').set(bearer(api.adminToken));
    expect(page.status).toBe(200);
    expect(page.headers['x-powered-by']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
