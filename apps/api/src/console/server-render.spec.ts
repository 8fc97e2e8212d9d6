import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pageSessionFor, type Principal, type ResolvedSession } from '@helpdesk/auth';
import { ConsoleServerRender, consoleLanguage, escapeDataBlock, publishTrace, RENDER_TRACE, serverPageOf, type RenderTrace, type RestOfPage } from './server-render';

const INDEX = '<!doctype html>\n<html lang="en">\n  <body>\n    <div id="root"></div>\n    <script type="module" src="/assets/index-1.js"></script>\n  </body>\n</html>\n';

/** A server entry as the console's build has it, rendering the list's subjects (or throwing, as told). */
const ENTRY = `
exports.prepare = async () => undefined;
exports.inboxRequests = (search) => ({ session: '/api/v1/session', list: '/api/v1/tickets?limit=50' + (search ? '&' + search.slice(1) : ''), viewNames: '/api/v1/views/names', customers: '/api/v1/customers' });
exports.renderInbox = async (url, language, answers) => {
  if (answers.list.items.some((t) => t.subject === 'throw')) throw new Error('a component broke');
  return { html: '<ul>' + answers.list.items.map((t) => '<li>' + t.subject.replaceAll('<', '&lt;') + '</li>').join('') + '</ul>', data: JSON.stringify({ language, answers }) };
};
exports.ticketRequests = (id) => ({ session: '/api/v1/session', conversation: '/api/v1/tickets/' + id + '/conversation', links: '/api/v1/tickets/' + id + '/links' });
exports.renderTicket = async (url, language, answers, texts) => {
  exports.lastTexts = texts;
  if (answers.conversation.ticket.subject === 'throw') throw new Error('a component broke');
  return { html: '<h1>' + answers.conversation.ticket.subject.replaceAll('<', '&lt;') + '</h1>', data: JSON.stringify({ language, answers }) };
};
`;
const TICKET_ID = '0b6c1e9e-3f5a-4c1b-9d2e-5a7f8e9d0c1b';

describe('the inbox rendered by the api (server-render.ts)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'server-render-'));
    await mkdir(join(dir, 'console'));
    await mkdir(join(dir, 'console-ssr'));
    await writeFile(join(dir, 'console', 'index.html'), INDEX);
    await writeFile(join(dir, 'console-ssr', 'entry-server.cjs'), ENTRY);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** An api whose routes answer from `answers` (status and body by path), each after `delayMs`. */
  const fakeApi = (answers: Record<string, [number, unknown]>, delayMs = 0) => {
    const asked: Array<{ url: string; cookie: string; lent?: string }> = [];
    const api = {
      inject: async ({ url, headers }: { url: string; headers: Record<string, string> }) => {
        // The session the page lent this request (what ConsoleSessionsService.resolveFor would take), by its cookie's id.
        const lent = pageSessionFor(/helpdesk_session=([^;]*)/.exec(headers.cookie)?.[1] ?? '');
        asked.push({ url, cookie: headers.cookie, ...(lent ? { lent: (lent.principal as { agentId: string }).agentId } : {}) });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const [statusCode, body] = answers[url.split('?')[0]] ?? [404, {}];
        return { statusCode, json: () => body, payload: JSON.stringify(body), rawPayload: Buffer.from(JSON.stringify(body)) };
      },
    };
    return { api: api as unknown as FastifyInstance, asked };
  };
  const signedIn = (url = '/', cookies: Record<string, string> = { helpdesk_session: 's1' }, headers: Record<string, string> = {}) =>
    ({ url, cookies, headers: { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; '), ...headers } }) as unknown as FastifyRequest;
  const whole = (rest: RestOfPage) => rest.root + rest.after();
  /** The whole streamed page when it came rendered (its data block), else null (the plain page). */
  const page$ = async (render: ConsoleServerRender, api: FastifyInstance, request: FastifyRequest) => {
    const streamed = render.stream(api, request, serverPageOf(request.url)!);
    const html = streamed.head + whole(await streamed.rest);
    return html.includes('id="console-data"') ? { html, language: streamed.language } : null;
  };
  const ok = (subjects: string[]): Record<string, [number, unknown]> => ({
    '/api/v1/session': [200, { agentId: 'a1', roles: ['helpdesk_agent'] }],
    '/api/v1/tickets': [200, { items: subjects.map((subject) => ({ subject })), nextCursor: null }],
    '/api/v1/views/names': [200, []],
    '/api/v1/customers': [403, {}],
  });

  it("renders the inbox into #root with its data block, asking the routes with the caller's cookie", async () => {
    const render = ConsoleServerRender.load(join(dir, 'console'), 1000)!;
    const { api, asked } = fakeApi(ok(['Printer </script><script>alert(1)</script>']));
    const page = await page$(render, api, signedIn('/?status=open', { helpdesk_session: 's1', helpdesk_console_language: 'es' }));
    expect(page!.language).toBe('es');
    expect(page!.html).toContain('<html lang="es">');
    expect(page!.html).toContain('<div id="root"><ul><li>Printer &lt;/script>&lt;script>alert(1)&lt;/script></li></ul></div><script type="application/json" id="console-data">');
    // One script end per script element: the subject's `</script>` is escaped inside the data block.
    expect(page!.html.match(/<\/script>/g)).toHaveLength(2);
    const block = /id="console-data">([^<]*)<\/script>/.exec(page!.html)![1];
    expect(JSON.parse(block)).toEqual({ language: 'es', answers: { session: { agentId: 'a1', roles: ['helpdesk_agent'] }, list: { items: [{ subject: 'Printer </script><script>alert(1)</script>' }], nextCursor: null }, viewNames: [], customers: null } });
    expect(asked.map((a) => a.url).sort()).toEqual(['/api/v1/customers', '/api/v1/session', '/api/v1/tickets?limit=50&status=open', '/api/v1/views/names']);
    expect(new Set(asked.map((a) => a.cookie))).toEqual(new Set(['helpdesk_session=s1; helpdesk_console_language=es']));
  });

  it('gives null (the plain page) without a session cookie, for a session the api refuses, a refused list, a slow answer or a render that throws', async () => {
    const render = ConsoleServerRender.load(join(dir, 'console'), 50)!;
    expect(render.wants(signedIn('/', {}))).toBe(false);
    expect(render.wants(signedIn('/'))).toBe(true);
    for (const status of [401, 403]) expect(await page$(render, fakeApi({ ...ok(['A']), '/api/v1/session': [status, {}] }).api, signedIn())).toBeNull();
    expect(await page$(render, fakeApi({ ...ok(['A']), '/api/v1/tickets': [400, {}] }).api, signedIn())).toBeNull();
    expect(await page$(render, fakeApi(ok(['A']), 200).api, signedIn())).toBeNull();
    expect(await page$(render, fakeApi(ok(['throw'])).api, signedIn())).toBeNull();
    // And renders when none of that is the case.
    expect(await page$(render, fakeApi(ok(['A'])).api, signedIn())).not.toBeNull();
  });

  it('streams the page: its head at once, then the rows and data block or, failing that, the plain page\'s empty #root', async () => {
    const render = ConsoleServerRender.load(join(dir, 'console'), 50)!;
    const rendered = render.stream(fakeApi(ok(['A'])).api, signedIn('/', { helpdesk_session: 's1' }, { 'accept-language': 'es-ES' }), serverPageOf('/')!);
    expect(rendered.head).toBe(INDEX.replace('lang="en"', 'lang="es"').slice(0, INDEX.indexOf('<div id="root">') + '<div id="root">'.length));
    const rest = await rendered.rest;
    // `#root`'s HTML and end first (sent and flushed on their own), then the data block and the page's end.
    expect(rest.root).toBe('<ul><li>A</li></ul></div>');
    expect(rest.after().startsWith('<script type="application/json" id="console-data">')).toBe(true);
    expect(rest.after().endsWith('</html>\n')).toBe(true);
    const slow = render.stream(fakeApi(ok(['A']), 200).api, signedIn(), serverPageOf('/')!);
    const plain = await slow.rest;
    expect(plain.root).toBe('');
    expect(slow.head + whole(plain)).toBe(INDEX);
  });

  const ticketOk = (subject: string): Record<string, [number, unknown]> => ({
    '/api/v1/session': [200, { agentId: 'a1', roles: ['helpdesk_agent'] }],
    [`/api/v1/tickets/${TICKET_ID}/conversation`]: [200, { ticket: { id: TICKET_ID, subject }, comments: [], events: [] }],
    [`/api/v1/tickets/${TICKET_ID}/links`]: [403, {}],
  });

  it("renders a ticket's page from its routes, asked with the caller's cookie; a refused optional part is null", async () => {
    const render = ConsoleServerRender.load(join(dir, 'console'), 1000)!;
    const { api, asked } = fakeApi(ticketOk('VPN </script> drops'));
    const page = await page$(render, api, signedIn(`/tickets/${TICKET_ID}`));
    expect(page!.html).toContain('<div id="root"><h1>VPN &lt;/script> drops</h1></div><script type="application/json" id="console-data">');
    const block = /id="console-data">([^<]*)<\/script>/.exec(page!.html)![1];
    expect((JSON.parse(block) as { answers: Record<string, unknown> }).answers.links).toBeNull();
    expect(asked.map((a) => a.url).sort()).toEqual(['/api/v1/session', `/api/v1/tickets/${TICKET_ID}/conversation`, `/api/v1/tickets/${TICKET_ID}/links`]);
    expect(new Set(asked.map((a) => a.cookie))).toEqual(new Set(['helpdesk_session=s1']));
    // The render also has each 200 answer's JSON text as its route sent it (for its data block, not serialised again); none for a refused one.
    const entry = createRequire(__filename)(join(dir, 'console-ssr', 'entry-server.cjs')) as { lastTexts: Record<string, string> };
    expect(entry.lastTexts).toEqual({ session: '{"agentId":"a1","roles":["helpdesk_agent"]}', conversation: `{"ticket":{"id":"${TICKET_ID}","subject":"VPN </script> drops"},"comments":[],"events":[]}` });
  });

  it("gives null (the plain page) for a ticket the caller may not see or that is not there, a customer's session, a slow answer or a render that throws", async () => {
    const render = ConsoleServerRender.load(join(dir, 'console'), 50)!;
    const conversation = `/api/v1/tickets/${TICKET_ID}/conversation`;
    for (const status of [404, 403, 400]) expect(await page$(render, fakeApi({ ...ticketOk('A'), [conversation]: [status, {}] }).api, signedIn(`/tickets/${TICKET_ID}`))).toBeNull();
    expect(await page$(render, fakeApi({ ...ticketOk('A'), '/api/v1/session': [403, {}] }).api, signedIn(`/tickets/${TICKET_ID}`))).toBeNull();
    expect(await page$(render, fakeApi(ticketOk('A'), 200).api, signedIn(`/tickets/${TICKET_ID}`))).toBeNull();
    expect(await page$(render, fakeApi(ticketOk('throw')).api, signedIn(`/tickets/${TICKET_ID}`))).toBeNull();
    expect(await page$(render, fakeApi(ticketOk('A')).api, signedIn(`/tickets/${TICKET_ID}`))).not.toBeNull();
  });

  /** Sessions as ConsoleSessionsService resolves them, by id; counts the lookups. */
  const sessionsOf = (known: Record<string, Principal>) => {
    const resolved: string[] = [];
    return {
      resolved,
      sessions: {
        resolve: async (id: string): Promise<ResolvedSession | null> => {
          resolved.push(id);
          return known[id] ? { principal: known[id], expiresAt: new Date(Date.now() + 60_000) } : null;
        },
      },
    };
  };
  const STAFF: Principal = { kind: 'staff', agentId: 'a1', roles: ['helpdesk_agent' as never], tokenId: 't1' };

  it("resolves the page's session once and lends it to the answers' requests, for their cookie's session only and while the page asks", async () => {
    const { sessions, resolved } = sessionsOf({ s1: STAFF });
    const render = ConsoleServerRender.load(join(dir, 'console'), 1000, sessions)!;
    const { api, asked } = fakeApi(ticketOk('A'));
    expect(await page$(render, api, signedIn(`/tickets/${TICKET_ID}`))).not.toBeNull();
    expect(resolved).toEqual(['s1']);
    expect(asked.map((a) => a.lent)).toEqual(['a1', 'a1', 'a1']);
    // Nothing lent outside the page's requests, nor for another session's cookie.
    expect([pageSessionFor('s1'), pageSessionFor('s2')]).toEqual([undefined, undefined]);
    // Without the sessions (as before): each answer's request resolves its cookie itself.
    const { api: plainApi, asked: plainAsked } = fakeApi(ticketOk('A'));
    expect(await page$(ConsoleServerRender.load(join(dir, 'console'), 1000)!, plainApi, signedIn(`/tickets/${TICKET_ID}`))).not.toBeNull();
    expect(plainAsked.map((a) => a.lent)).toEqual([undefined, undefined, undefined]);
  });

  it("gives the plain page without asking anything for an ended session or a customer's", async () => {
    const customer: Principal = { kind: 'customer', customerId: 'c1', tokenId: 't2' };
    const { sessions, resolved } = sessionsOf({ s1: STAFF, c1: customer });
    const render = ConsoleServerRender.load(join(dir, 'console'), 1000, sessions)!;
    for (const cookie of ['gone', 'c1']) {
      const { api, asked } = fakeApi(ticketOk('A'));
      expect(await page$(render, api, signedIn(`/tickets/${TICKET_ID}`, { helpdesk_session: cookie }))).toBeNull();
      expect(asked).toEqual([]);
    }
    expect(resolved).toEqual(['gone', 'c1']);
  });

  it('traces a page only for a subscriber: each answer, the render and the api\'s CPU, published at its end', async () => {
    const render = ConsoleServerRender.load(join(dir, 'console'), 1000)!;
    expect(render.stream(fakeApi(ticketOk('A')).api, signedIn(`/tickets/${TICKET_ID}`), serverPageOf(`/tickets/${TICKET_ID}`)!).trace).toBeUndefined();
    const published: RenderTrace[] = [];
    const listen = (message: unknown) => published.push(message as RenderTrace);
    RENDER_TRACE.subscribe(listen);
    try {
      const streamed = render.stream(fakeApi(ticketOk('A'), 5).api, signedIn(`/tickets/${TICKET_ID}`), serverPageOf(`/tickets/${TICKET_ID}`)!);
      await streamed.rest;
      const trace = streamed.trace!;
      expect(published).toEqual([]);
      expect(trace.answers.map((a) => [a.name, a.status]).sort()).toEqual([
        ['conversation', 200],
        ['links', 403],
        ['session', 200],
      ]);
      const conversation = trace.answers.find((a) => a.name === 'conversation')!;
      expect(conversation.bytes).toBe(JSON.stringify({ ticket: { id: TICKET_ID, subject: 'A' }, comments: [], events: [] }).length);
      expect(conversation.answeredAt - conversation.askedAt).toBeGreaterThanOrEqual(4);
      expect(trace.render!.startAt).toBeGreaterThanOrEqual(Math.max(...trace.answers.map((a) => a.answeredAt)));
      publishTrace(trace);
      expect(published).toEqual([trace]);
      expect(trace.endAt).toBeGreaterThanOrEqual(trace.render!.endAt);
      expect(trace.cpuMs).toBeGreaterThan(0);
    } finally {
      RENDER_TRACE.unsubscribe(listen);
    }
  });

  it('renders the inbox and a ticket by its id, no other address', () => {
    expect(['/', '/?status=open', `/tickets/${TICKET_ID}`, `/tickets/${TICKET_ID.toUpperCase()}?tab=x`].map((url) => serverPageOf(url)?.name)).toEqual(['inbox', 'inbox', 'ticket', 'ticket']);
    for (const url of ['/dashboard', '/tickets/not-an-id', `/tickets/${TICKET_ID}/x`, `/tickets/${TICKET_ID}x`, '/tickets/', '/portal', '/customers/1']) expect([url, serverPageOf(url)]).toEqual([url, null]);
  });

  it('loads the server build on the first render it is wanted for, not when the api starts', async () => {
    // A build of its own that leaves a mark when required (Node's own require: not jest's registry).
    const lazy = await mkdtemp(join(tmpdir(), 'server-render-lazy-'));
    const mark = join(lazy, 'required');
    try {
      await mkdir(join(lazy, 'console'));
      await mkdir(join(lazy, 'console-ssr'));
      await writeFile(join(lazy, 'console', 'index.html'), INDEX);
      await writeFile(join(lazy, 'console-ssr', 'entry-server.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(mark)}, '');\n${ENTRY}`);
      const render = ConsoleServerRender.load(join(lazy, 'console'), 1000)!;
      expect(existsSync(mark)).toBe(false);
      expect(render.wants(signedIn('/', {}))).toBe(false);
      expect(existsSync(mark)).toBe(false);
      expect(await page$(render, fakeApi(ok(['A'])).api, signedIn())).not.toBeNull();
      expect(existsSync(mark)).toBe(true);
    } finally {
      await rm(lazy, { recursive: true, force: true });
    }
  });

  it('is off without a server build or with a timeout of 0', async () => {
    expect(ConsoleServerRender.load(join(dir, 'console'), 0)).toBeNull();
    const bare = await mkdtemp(join(tmpdir(), 'server-render-bare-'));
    try {
      await writeFile(join(bare, 'index.html'), INDEX);
      expect(ConsoleServerRender.load(bare, 150)).toBeNull();
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('picks the language as the console does: the chosen one (cookie), else the browser\'s first', () => {
    expect([consoleLanguage('es', 'en-GB'), consoleLanguage('en', 'es-ES'), consoleLanguage(undefined, 'es-ES,es;q=0.9'), consoleLanguage(undefined, 'en-US,es;q=0.5'), consoleLanguage('fr', ''), consoleLanguage(undefined)]).toEqual([
      'es',
      'en',
      'es',
      'en',
      'en',
      'en',
    ]);
  });

  it('escapes every < of the data block', () => {
    expect(escapeDataBlock('{"a":"</script><!--"}')).toBe('{"a":"\\u003c/script>\\u003c!--"}');
    expect(JSON.parse(escapeDataBlock('{"a":"</script><!--"}'))).toEqual({ a: '</script><!--' });
    // A route's JSON text as sent has U+2028/U+2029 raw (JSON.stringify leaves them): escaped too, the same value parsed.
    const raw = JSON.stringify({ a: 'x\u2028y\u2029z</script>' });
    expect(raw).toContain('\u2028');
    expect(escapeDataBlock(raw)).toBe('{"a":"x\\u2028y\\u2029z\\u003c/script>"}');
    expect(JSON.parse(escapeDataBlock(raw))).toEqual({ a: 'x\u2028y\u2029z</script>' });
    // Nothing to escape: the text itself.
    expect(escapeDataBlock('{"a":"b"}')).toBe('{"a":"b"}');
  });
});
