import { readdir, readFile } from 'node:fs/promises';
import request from 'supertest';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../api/src/console/content-security-policy';
import { startTestApi, type TestApi } from '../../../test/support';
import { CONSOLE_DIST } from './support/console-stack';

describe('the api serves the web console at / (real api on Fastify)', () => {
  let api: TestApi;
  let entry: string;
  const get = (path: string, headers: Record<string, string> = {}) => request(api.url).get(path).set(headers);

  beforeAll(async () => {
    api = await startTestApi({ env: { CONSOLE_DIR: CONSOLE_DIST } });
    entry = (await readdir(`${CONSOLE_DIST}/assets`)).find((file) => /^index-.*\.js$/.test(file))!;
  });
  afterAll(() => api?.close());

  it('answers / and every route of the app with index.html, never cached, under the strict Content-Security-Policy', async () => {
    // As a browser asks (its compressed copy) and uncompressed.
    for (const [path, encoding] of ['/', '/tickets/5b0e6f8e-1d2a-4c1e-9d7a-3f1f2b3c4d5e', '/settings/rules?x=1', '/dashboard'].flatMap((p) => ['identity', 'br', 'gzip'].map((e) => [p, e]))) {
      const res = await get(path, { 'Accept-Encoding': encoding });
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 200, 'text/html; charset=utf-8']);
      if (encoding === 'identity') {
        expect(res.text).toContain('<div id="root"></div>');
        expect(res.text).toContain(`src="/assets/${entry}"`);
      } else expect([path, res.headers['content-encoding']]).toEqual([path, encoding]);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await request(api.url).head('/dashboard')).status).toBe(200);
  });

  it("preloads the first API requests of the inbox and of a ticket page with the page, and none elsewhere", async () => {
    const id = '5b0e6f8e-1d2a-4c1e-9d7a-3f1f2b3c4d5e';
    const links = async (path: string, headers: Record<string, string> = {}) => {
      const res = await get(path, headers);
      expect([path, res.status]).toEqual([path, expect.any(Number)]);
      return [...String(res.headers.link ?? '').matchAll(/<([^>]+)>; rel=preload; as=fetch; crossorigin/g)].map((m) => m[1]);
    };
    expect(await links('/')).toEqual(['/api/v1/session', '/api/v1/tickets?limit=50', '/api/v1/views/names', '/api/v1/customers']);
    const ticket = `/api/v1/tickets/${id}`;
    expect(await links(`/tickets/${id}`)).toEqual(['/api/v1/session', `${ticket}/conversation`, `${ticket}/attachments`, `${ticket}/links`, '/api/v1/customers', '/api/v1/support-plans']);
    // The ticket's chunks and strings between its first two requests and the rest (the first render waits for those two and the modules only).
    const ticketKinds = String((await get(`/tickets/${id}`)).headers.link).split(', ').map((l) => (l.includes('as=fetch') ? /<([^>]+)>/.exec(l)![1] : l.includes('as=style') ? 'style' : 'module'));
    expect([ticketKinds.lastIndexOf('module', ticketKinds.indexOf(`${ticket}/conversation`)), ticketKinds.indexOf('module', 1)]).toEqual([0, ticketKinds.indexOf(`${ticket}/conversation`) + 1]);
    expect(ticketKinds.indexOf(`${ticket}/attachments`)).toBe(ticketKinds.lastIndexOf('module') + 1);
    // A revalidated page (304) carries them too: a browser with the page cached preloads again.
    const first = await get(`/tickets/${id}`);
    expect(await links(`/tickets/${id}`, { 'If-None-Match': String(first.headers.etag) })).toHaveLength(6);
    // Filters in the address make another list request; other pages, files and the portal preload nothing.
    for (const path of ['/?status=open', '/dashboard', '/tickets/not-a-ticket', '/portal', `/assets/${entry}`, '/index.html']) expect([path, await links(path)]).toEqual([path, []]);
  });

  it("preloads the entry script first on every page, then the API requests the first render waits for, then the page's own chunks and the browser's language's strings as module scripts, then the other API requests", async () => {
    const manifest = JSON.parse(await readFile(`${CONSOLE_DIST}/.vite/manifest.json`, 'utf8')) as Record<string, { file: string; css?: string[] }>;
    const link = async (path: string, language = 'en-US,en;q=0.9') => String((await get(path, { 'Accept-Language': language })).headers.link ?? '').split(', ');
    const modules = async (path: string, language?: string) => (await link(path, language)).flatMap((l) => /^<([^>]+)>; rel=modulepreload; crossorigin$/.exec(l)?.[1] ?? []);
    const file = (source: string) => `/${manifest[source].file}`;
    // The entry (which Chromium would fetch at low priority, behind every preload) leads, with its stylesheet.
    const stylesheet = `/${manifest['index.html'].css![0]}`;
    const inboxLink = await link('/');
    expect(inboxLink.slice(0, 3)).toEqual([`</assets/${entry}>; rel=modulepreload; crossorigin`, `<${stylesheet}>; rel=preload; as=style; crossorigin`, '</api/v1/session>; rel=preload; as=fetch; crossorigin']);
    // The inbox's rows wait for the session, the list and the modules; the sidebar's and the customers' names come after.
    const kinds = inboxLink.map((l) => (l.includes('as=fetch') ? /<([^>]+)>/.exec(l)![1] : l.includes('as=style') ? 'style' : 'module'));
    const modulesAt = [kinds.indexOf('module', 1), kinds.lastIndexOf('module')];
    expect(kinds.indexOf('/api/v1/tickets?limit=50')).toBeLessThan(modulesAt[0]);
    expect([kinds.indexOf('/api/v1/views/names'), kinds.indexOf('/api/v1/customers')]).toEqual([modulesAt[1] + 1, modulesAt[1] + 2]);
    const [ticketEntry, ...ticket] = await modules('/tickets/5b0e6f8e-1d2a-4c1e-9d7a-3f1f2b3c4d5e');
    expect(ticketEntry).toBe(`/assets/${entry}`);
    // The strings first (nothing is drawn before them), then the ticket page's chunk and the chunks it imports.
    expect([ticket[0], ticket[1]]).toEqual([file('src/i18n/en.json'), file('src/ticket/components/ticket-page.tsx')]);
    expect(ticket).not.toContain(`/assets/${entry}`);
    expect(ticket.length).toBeGreaterThan(3);
    // The inbox: the strings (nothing is drawn before them), then its chunk and the chunks it imports.
    const [inboxEntry, ...inbox] = await modules('/', 'es-ES,es;q=0.9,en;q=0.8');
    expect([inboxEntry, inbox[0], inbox[1]]).toEqual([`/assets/${entry}`, file('src/i18n/es.json'), file('src/inbox/components/inbox-page.tsx')]);
    expect(inbox.length).toBeGreaterThan(3);
    // Every other page of the console still loads the entry and its language first; each file is one the build has.
    expect(await modules('/dashboard')).toEqual([`/assets/${entry}`, file('src/i18n/en.json')]);
    for (const url of [stylesheet, ...ticket, ...inbox]) expect([url, (await get(url)).status]).toEqual([url, 200]);
    // The build's manifest itself is not served (the app's index.html answers for it).
    expect((await get('/.vite/manifest.json')).text).toContain('<div id="root"></div>');
  });

  it('sends no inline script: every script of the page is a file of its own', async () => {
    const html = (await get('/')).text;
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(body.trim()).toBe('');
      expect(tag).toMatch(/src="\/assets\//);
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('sends the hashed files brotli- or gzip-compressed as the browser accepts, cached for a year', async () => {
    const plain = await get(`/assets/${entry}`, { 'Accept-Encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();

    const brotli = await request(api.url).get(`/assets/${entry}`).set('Accept-Encoding', 'br, gzip').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(brotli.headers['content-length'])).toBeLessThan(Buffer.byteLength(plain.text) / 3);

    const gzip = await get(`/assets/${entry}`, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.text).toBe(plain.text);
  });

  it('leaves the api its own paths: an unknown api route or a missing asset is a 404 problem, not the app', async () => {
    for (const path of ['/api/v1/no-such-route', '/api', '/assets/no-such-file.js', '/metrics/x', '/health/nope']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await get('/api/v1/tickets')).status).toBe(401);
    const docs = await get('/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-security-policy']).not.toBe(CONSOLE_CONTENT_SECURITY_POLICY);
  });

  it('serves only GET and HEAD there: a POST to an app route is a 404', async () => {
    expect((await request(api.url).post('/dashboard').send({})).status).toBe(404);
  });
});
