import { readdir } from 'node:fs/promises';
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
    for (const path of ['/', '/tickets/5b0e6f8e-1d2a-4c1e-9d7a-3f1f2b3c4d5e', '/settings/rules?x=1', '/dashboard']) {
      const res = await get(path, { 'Accept-Encoding': 'identity' });
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 200, 'text/html; charset=utf-8']);
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.text).toContain(`src="/assets/${entry}"`);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await request(api.url).head('/dashboard')).status).toBe(200);
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
