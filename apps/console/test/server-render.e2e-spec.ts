/**
 * The inbox's first screen in the HTML (issue #14): the api renders it with the console's own
 * components for a signed-in staff member, the browser takes those rows over (hydration) without
 * asking for them again — in real Chromium against the real API, worker, PostgreSQL and Redis.
 */
import request from 'supertest';
import type { BrowserContext, Request } from 'playwright-core';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../api/src/console/content-security-policy';
import { createAgent, createCustomer, createPlan, eventually, ticketBody } from '../../../test/support';
import { openPage, screenshot, startConsoleStack, type ConsoleStack } from './support/console-stack';
import { apiOf, DATA_BLOCK, signedInBrowser, withThrowingRender } from './support/server-render';

jest.setTimeout(240_000);

interface Ticket {
  id: string;
  number: string;
  subject: string;
}

describe('console: the inbox rendered by the api and hydrated in the browser (real Chromium)', () => {
  let stack: ConsoleStack;
  let admin: { id: string; token: string };
  let technician: { id: string; token: string };
  let billingAgent: { id: string; token: string };
  let customer: { id: string; token: string };
  const tickets: Ticket[] = [];
  const byQueue: Record<'technical' | 'billing', Ticket[]> = { technical: [], billing: [] };
  const contexts: BrowserContext[] = [];

  const { as, sessionCookie } = apiOf(() => stack);
  const page$ = (cookie: string | null, headers: Record<string, string> = {}, path = '/') => request(stack.api.url).get(path).set({ ...(cookie ? { Cookie: cookie } : {}), ...headers });
  const dataOf = (html: string) => JSON.parse(DATA_BLOCK.exec(html)![1]) as { language: string; queries: { queries: Array<{ queryKey: unknown[]; state: { data: unknown } }> } };
  const listedIn = (html: string) => dataOf(html).queries.queries.find((q) => q.queryKey[0] === 'inbox')!.state.data as { pages: Array<{ items: Ticket[] }> };
  /** A browser with the session cookie (as after a sign-in). */
  const browserWith = (cookie: string, options: { javaScriptEnabled?: boolean } = {}) => signedInBrowser(stack, contexts, cookie, options);

  const create = async (subject: string) => {
    const res = await as(admin.token).post('/api/v1/tickets', ticketBody(customer.id, { subject, description: `${subject}. Details from the customer.` }));
    expect(res.status).toBe(201);
    const ticket = res.body as Ticket;
    tickets.push(ticket);
    return ticket;
  };

  beforeAll(async () => {
    // The machine running the tests is shared and loaded: the render's answers get the time they need here (the
    // default, 150 ms, sends the plain page instead; server-render.spec.ts checks that).
    stack = await startConsoleStack({}, { CONSOLE_RENDER_TIMEOUT_MS: '5000' });
    const plan = await createPlan(stack.api);
    customer = await createCustomer(stack.api, plan.id, 'Contoso');
    admin = await createAgent(stack.api, ['admin_agent'], { name: 'Lucía Fernández' });
    technician = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Tomás Técnico' });
    billingAgent = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Berta Facturas' });
    expect((await as(admin.token).patch(`/api/v1/agents/${technician.id}`, { queues: ['technical'] })).status).toBe(200);
    expect((await as(admin.token).patch(`/api/v1/agents/${billingAgent.id}`, { queues: ['billing'] })).status).toBe(200);
    // More than a page: the list scrolls into a second one.
    for (let i = 1; i <= 55; i++) await create(`Bulk filler ticket ${i}`);
    // The newest (on the list's first page), one with a subject that would end a script element if the data block did not escape it.
    const queued = [await create('VPN drops </script><script>alert(1)</script> every hour'), await create('Printer on floor 3 is offline'), await create('Invoice 2026-114 charged twice')];
    for (const [ticket, queue] of [[queued[0], 'technical'], [queued[1], 'technical'], [queued[2], 'billing']] as const) {
      await eventually(() => as(admin.token).get(`/api/v1/tickets/${ticket.id}`), (t) => t.status === 'triaged', 30_000, `${ticket.subject} triaged`);
      expect((await as(admin.token).patch(`/api/v1/tickets/${ticket.id}`, { queue })).status).toBe(200);
      byQueue[queue].push(ticket);
    }
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await stack?.close();
  });

  it("answers a signed-in agent's / with the inbox's first rows and the data they were drawn from, under the same CSP, never cached", async () => {
    const cookie = await sessionCookie('/api/v1/session', admin.token);
    const res = await page$(cookie, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect([res.status, res.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.vary).toMatch(/\bCookie\b/);
    // The data came with the page: no API request is preloaded (the browser would make it for nothing).
    expect(String(res.headers.link)).not.toContain('as=fetch');
    expect(String(res.headers.link)).toContain('rel=modulepreload');
    const html = res.text;
    expect(html).toContain('<html lang="en"');
    expect(html).not.toContain('<div id="root"></div>');
    // The first page's 50 rows, newest first (the list's default sort), each subject a link to its ticket.
    const listed = listedIn(html).pages[0].items;
    expect(listed).toHaveLength(50);
    // The header row and the 50 rows.
    expect((html.match(/role="row" aria-rowindex="\d+"/g) ?? []).length).toBe(51);
    for (const ticket of listed) expect(html).toContain(`href="/tickets/${ticket.id}"`);
    expect(html).toContain('Lucía Fernández');
    // The only script elements are the page's own (the data block is JSON, escaped: nothing in it ends it).
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">$/), '<script type="application/json" id="console-data">']);
    expect(JSON.stringify(dataOf(html))).toContain('VPN drops </script><script>alert(1)</script> every hour');
    expect(dataOf(html).language).toBe('en');

    // Spanish: the language chosen before (its cookie), else the browser's.
    const spanish = (await page$(`${cookie}; helpdesk_console_language=es`, { 'Accept-Language': 'en-GB' })).text;
    expect([spanish.includes('<html lang="es"'), spanish.includes('Bandeja'), dataOf(spanish).language]).toEqual([true, true, 'es']);
    const byBrowser = (await page$(cookie, { 'Accept-Language': 'es-ES,es;q=0.9' })).text;
    expect([byBrowser.includes('<html lang="es"'), dataOf(byBrowser).language]).toEqual([true, 'es']);
    // Compressed as browsers take it.
    const compressed = await page$(cookie, { 'Accept-Encoding': 'br' });
    expect([compressed.status, compressed.headers['content-encoding']]).toEqual([200, 'br']);
  });

  it('gives the plain page to nobody signed in, to a customer, for an ended session, and for a list the API refuses', async () => {
    const plain = async (cookie: string | null, path = '/') => {
      const res = await page$(cookie, {}, path);
      expect([path, res.status, res.text.includes('<div id="root"></div>'), DATA_BLOCK.test(res.text)]).toEqual([path, 200, true, false]);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      return res;
    };
    expect((await plain(null)).headers.vary).toMatch(/\bCookie\b/);
    await plain(await sessionCookie('/api/v1/portal/session', customer.token));
    await plain('helpdesk_session=not-a-session');
    const cookie = await sessionCookie('/api/v1/session', technician.token);
    await plain(cookie, '/?status=not-a-status');
    await plain(cookie, '/?view=not-a-view');
    // Other pages are the plain page, signed in or not.
    await plain(cookie, '/dashboard');
  });

  it("renders only the caller's rows: a view of the agent's queues lists what the API lists for that agent", async () => {
    const rows = async (token: string) => {
      const res = await page$(await sessionCookie('/api/v1/session', token), {}, '/?view=unassigned-in-my-queues');
      expect(res.status).toBe(200);
      return { html: res.text, ids: listedIn(res.text).pages[0].items.map((t) => t.id) };
    };
    const listed = async (token: string) => ((await as(token).get('/api/v1/views/unassigned-in-my-queues/tickets?limit=50')).items as Ticket[]).map((t) => t.id);
    const technical = await rows(technician.token);
    const billing = await rows(billingAgent.token);
    expect(technical.ids).toEqual(await listed(technician.token));
    expect(billing.ids).toEqual(await listed(billingAgent.token));
    // Two agents, two lists: the technical queue's unassigned tickets are not the billing agent's.
    expect(technical.ids.length).toBeGreaterThan(0);
    expect(technical.ids).not.toEqual(billing.ids);
    for (const id of technical.ids) expect(billing.ids).not.toContain(id);
  });

  it('shows the rows and their links with JavaScript off', async () => {
    const context = await browserWith(await sessionCookie('/api/v1/session', admin.token), { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/');
    // The newest ticket (the list's default sort) is on the first page; a row far down is reached by scrolling the grid.
    for (const ticket of [tickets.at(-1)!, tickets.at(-40)!]) {
      const link = page.getByRole('row').filter({ hasText: ticket.subject }).getByRole('link', { name: ticket.subject, exact: true });
      await link.scrollIntoViewIfNeeded();
      expect(await link.isVisible()).toBe(true);
      expect(await link.getAttribute('href')).toBe(`/tickets/${ticket.id}`);
    }
    await page.getByRole('grid').evaluate((grid) => grid.scrollTo(0, 0));
    await screenshot(page, 'inbox-without-javascript', 'viewport');
    const newest = tickets.at(-1)!;
    await page.getByRole('link', { name: newest.subject, exact: true }).click();
    await page.waitForURL(`**/tickets/${newest.id}`);
  });

  it('hydrates the rows without asking for them again, with no hydration or CSP message; j/k, live updates and the next page work', async () => {
    const { context, page, problems } = await openPage(stack);
    contexts.push(context);
    const [name, value] = (await sessionCookie('/api/v1/session', admin.token)).split('=');
    await context.addCookies([{ name, value, url: stack.api.url }]);
    const asked: string[] = [];
    page.on('request', (r: Request) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) asked.push(`${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
    });
    const response = await page.goto('/');
    expect(response!.headers()['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    await page.locator('html[data-rows-live]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => performance.getEntriesByName('console:rows-live').length)).toBe(1);
    // Neither the session nor the list's first page was asked for: they came with the page.
    expect(asked.filter((a) => a === 'GET /api/v1/session' || a.startsWith('GET /api/v1/tickets?'))).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });

    // j/k move the active row (React handles the keys of the rows it took over).
    const grid = page.getByRole('grid');
    const active = () => grid.locator('[role="row"][aria-selected="true"]').getAttribute('aria-rowindex');
    expect(await active()).toBe('2');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await active()).toBe('4');
    await page.keyboard.press('k');
    expect(await active()).toBe('3');

    // Live: a new ticket appears without a reload.
    const fresh = await create('Live ticket after hydration');
    await page.getByRole('row').filter({ hasText: fresh.subject }).waitFor({ timeout: 45_000 });

    // The next page when scrolled to the end (the list has 59 tickets).
    await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await eventually(
      () => Promise.resolve(asked.filter((a) => a.startsWith('GET /api/v1/tickets?') && a.includes('cursor=')).length),
      (n) => n > 0,
      20_000,
      'the next page asked for',
    );
    await eventually(async () => Number(await grid.getAttribute('aria-rowcount')), (rows) => rows > 51, 20_000, 'the second page listed');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  });

  it('sends the plain page, still 200, when the render throws', async () => {
    await withThrowingRender(stack, 'renderInbox', admin.token, async (broken, cookie) => {
      const res = await request(broken.url).get('/').set('Cookie', cookie);
      expect([res.status, res.text.includes('<div id="root"></div>'), DATA_BLOCK.test(res.text)]).toEqual([200, true, false]);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    });
  });
});
