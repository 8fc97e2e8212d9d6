import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ResolveAll } from './guarded-lookup';
import { WebhookClient } from './webhook-client';
import { webhookTargetProblem } from './webhook-targets';

/** A stand-in DNS: these names resolve to these addresses; anything else does not exist. */
function fakeDns(names: Record<string, string[]>): ResolveAll & { asked: string[] } {
  const asked: string[] = [];
  const resolve = ((hostname, _options, callback) => {
    asked.push(hostname);
    const found = names[hostname];
    if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }) as ResolveAll & { asked: string[] };
  resolve.asked = asked;
  return resolve;
}

describe('the guarded webhook client against a real local receiver', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];
  let answer: (res: ServerResponse, req: IncomingMessage) => void;
  const clients: WebhookClient[] = [];
  const client = (allowPrivate: boolean, resolve?: ResolveAll) => {
    const c = new WebhookClient({ allowPrivate, resolve });
    clients.push(c);
    return c;
  };
  const post = (c: WebhookClient, url: string) => c.post({ url, headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"a":1}'), timeoutMs: 2000 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(`${req.headers.host} ${req.url}`);
      req.resume();
      req.on('end', () => answer(res, req));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    received.length = 0;
    answer = (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"caseId":"C-1"}');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('refuses loopback, private, link-local and metadata targets without connecting', async () => {
    const guarded = client(false);
    for (const url of [`https://localhost:${port}/x`, `https://127.0.0.1:${port}/x`, `http://127.0.0.1:${port}/x`, `http://[::1]:${port}/x`, `http://[::ffff:127.0.0.1]:${port}/x`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/x', `http://localhost:${port}/x`, `http://2130706433:${port}/x`]) {
      const result = await post(guarded, url);
      expect([url, result]).toEqual([url, { ok: false, status: null, error: expect.stringMatching(/^refused: the webhook target .* is (a|an|the) .*WEBHOOK_ALLOW_PRIVATE=true/) }]);
    }
    expect(received).toEqual([]);
  });

  it('allows local targets with WEBHOOK_ALLOW_PRIVATE, except cloud metadata', async () => {
    const open = client(true);
    expect(await post(open, `http://127.0.0.1:${port}/a`)).toEqual({ ok: true, status: 200, text: '{"caseId":"C-1"}' });
    expect(await post(open, `http://localhost:${port}/b`)).toMatchObject({ ok: true, status: 200 });
    expect(await post(open, 'http://169.254.169.254/latest/meta-data/')).toEqual({ ok: false, status: null, error: expect.stringContaining('a cloud metadata address') });
    expect(received).toEqual([`127.0.0.1:${port} /a`, `localhost:${port} /b`]);
  });

  it('connects to the address it checked: a name is resolved once, by the guarded lookup', async () => {
    // `rebind.test` exists only in this stand-in DNS: reaching the receiver proves the socket used
    // the checked answer, not a second resolution.
    const dns = fakeDns({ 'rebind.test': ['127.0.0.1'] });
    expect(await post(client(true, dns), `http://rebind.test:${port}/r`)).toMatchObject({ ok: true, status: 200 });
    expect(received).toEqual([`rebind.test:${port} /r`]);
    expect(dns.asked).toEqual(['rebind.test']);

    const refused = await post(client(false, fakeDns({ 'rebind.test': ['127.0.0.1'] })), `http://rebind.test:${port}/r`);
    expect(refused).toEqual({ ok: false, status: null, error: expect.stringContaining('refused: the webhook target rebind.test is a loopback address') });
    expect(received).toHaveLength(1);
  });

  it('refuses a name when any of its addresses is not allowed', async () => {
    const dns = fakeDns({ 'mixed.test': ['93.184.215.14', '10.0.0.7'] });
    expect(await post(client(false, dns), `http://mixed.test:${port}/m`)).toMatchObject({ ok: false, error: expect.stringContaining('a private (RFC 1918) address') });
    expect(await webhookTargetProblem('http://mixed.test/m', false, dns)).toEqual({
      message: expect.stringMatching(/^is refused: the webhook target mixed.test is a private/),
      reason: 'private',
      host: 'mixed.test',
    });
  });

  it('never returns the body of an unsuccessful answer, only its status', async () => {
    answer = (res) => res.writeHead(500, 'Database password is hunter2', { 'Content-Type': 'text/plain' }).end('internal: DATABASE_URL=postgres://admin:hunter2@db');
    const result = await post(client(true), `http://127.0.0.1:${port}/fail`);
    expect(result).toEqual({ ok: false, status: 500, error: 'HTTP 500 Internal Server Error' });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('does not follow redirects', async () => {
    answer = (res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
    expect(await post(client(true), `http://127.0.0.1:${port}/moved`)).toEqual({ ok: false, status: 302, error: 'HTTP 302 Found (redirects are not followed)' });
    expect(received).toEqual([`127.0.0.1:${port} /moved`]);
  });

  it('names an unknown status without inventing a reason', async () => {
    answer = (res) => res.writeHead(599).end('secret');
    expect(await post(client(true), `http://127.0.0.1:${port}/odd`)).toEqual({ ok: false, status: 599, error: 'HTTP 599' });
  });

  it('checks URLs when they are saved', async () => {
    const dns = fakeDns({ 'vendor.test': ['93.184.215.14'], 'inside.test': ['192.168.0.10'] });
    expect(await webhookTargetProblem('https://vendor.test/cases', false, dns)).toBeNull();
    expect(await webhookTargetProblem('https://unknown.test/cases', false, dns)).toBeNull();
    expect(await webhookTargetProblem('http://inside.test/', false, dns)).toEqual({ message: expect.stringMatching(/inside.test is a private \(RFC 1918\) address/), reason: 'private', host: 'inside.test' });
    expect(await webhookTargetProblem('http://inside.test/', true, dns)).toBeNull();
    expect(await webhookTargetProblem('http://[::1]:9/', false, dns)).toEqual({ message: expect.stringMatching(/\[::1\] is a loopback address/), reason: 'loopback', host: '[::1]' });
    expect(await webhookTargetProblem('http://[fd00:ec2::254]/', true, dns)).toEqual({ message: expect.stringMatching(/a cloud metadata address/), reason: 'metadata', host: '[fd00:ec2::254]' });
    expect(await webhookTargetProblem('ftp://vendor.test/', false, dns)).toEqual({ message: 'must be an http(s) URL', reason: 'scheme', host: 'vendor.test' });
    expect(await webhookTargetProblem('not a url', false, dns)).toEqual({ message: 'must be an absolute http(s) URL', reason: 'url', host: '' });
  });
});
