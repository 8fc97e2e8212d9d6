/**
 * A ticket's page by its address in the HTML (issue #14): the api renders its header and timeline with
 * the console's own components for a signed-in staff member who may see the ticket, the browser takes
 * them over (hydration) without asking for them again — in real Chromium against the real API, worker,
 * PostgreSQL and Redis. The inbox's own cases are in server-render.e2e-spec.ts.
 */
import request from 'supertest';
import { ConsoleSessionsService } from '@helpdesk/auth';
import { generateWebhookSecret } from '@helpdesk/webhooks';
import type { BrowserContext, Request } from 'playwright-core';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../api/src/console/content-security-policy';
import { createAgent, createCustomer, createPlan, eventually, ticketBody } from '../../../test/support';
import { putWebhookTier, Receiver } from '../../../test/escalation/support';
import { openPage, screenshot, startConsoleStack, type ConsoleStack } from './support/console-stack';
import { apiOf, DATA_BLOCK, signedInBrowser, withThrowingRender } from './support/server-render';

jest.setTimeout(240_000);

interface Ticket {
  id: string;
  number: string;
  subject: string;
  status: string;
}

const COMMENTS = 24;
/** A comment whose body would end the data block's script element, open an HTML comment in it, or be a line break to a script, if the block did not escape it. */
const HOSTILE_BODY = 'Update 2: the log says <!-- </script><script>alert(2)</script> and\u2028then\u2029this.';
const SECRET = generateWebhookSecret();
/** The requests a ticket page makes first (route-loaders.ts's loadTicket): none of them again after a server render. */
const FIRST_REQUESTS = ['/session', '/conversation', '/attachments', '/api/v1/customers', '/api/v1/support-plans', '/api/v1/agents'];
/** What only the side panels draw (after the hydration): not in the page's HTML or data block; the browser asks for each once. */
const PANEL_REQUESTS = ['/links', '/api/v1/macros'];

describe('console: a ticket page rendered by the api and hydrated in the browser (real Chromium)', () => {
  let stack: ConsoleStack;
  /** The vendor's webhook (the escalation that makes the live update). */
  let receiver: Receiver;
  let admin: { id: string; token: string };
  let technician: { id: string; token: string };
  let billingAdmin: { id: string; token: string };
  let customer: { id: string; token: string };
  let plan: { id: string };
  let ticket: Ticket;
  let billingTicket: Ticket;
  const contexts: BrowserContext[] = [];

  const { as, sessionCookie } = apiOf(() => stack);
  const page$ = (cookie: string | null, path: string, headers: Record<string, string> = {}) => request(stack.api.url).get(path).set({ ...(cookie ? { Cookie: cookie } : {}), ...headers });
  const dataOf = (html: string) => JSON.parse(DATA_BLOCK.exec(html)![1]) as { language: string; timeZone: string; queries: { queries: Array<{ queryKey: unknown[]; state: { data: unknown } }> } };
  const entriesIn = (html: string) => (html.match(/<li class="timeline-entry /g) ?? []).length;
  const browserWith = (cookie: string, options: { javaScriptEnabled?: boolean } = {}) => signedInBrowser(stack, contexts, cookie, options);
  const triagedInto = async (subject: string, queue: 'technical' | 'billing') => {
    const res = await as(admin.token).post('/api/v1/tickets', ticketBody(customer.id, { subject, description: `${subject}. Details from the customer.` }));
    expect(res.status).toBe(201);
    const created = res.body as Ticket;
    await eventually(() => as(admin.token).get(`/api/v1/tickets/${created.id}`), (t) => t.status === 'triaged', 30_000, `${subject} triaged`);
    expect((await as(admin.token).patch(`/api/v1/tickets/${created.id}`, { queue, assigneeId: technician.id })).status).toBe(200);
    return (await as(admin.token).get(`/api/v1/tickets/${created.id}`)) as unknown as Ticket;
  };

  beforeAll(async () => {
    receiver = await new Receiver(SECRET).start();
    stack = await startConsoleStack({ ESCALATION_BACKOFF_MS: '50' }, { CONSOLE_RENDER_TIMEOUT_MS: '5000' });
    await putWebhookTier(stack.api, 'commercial', receiver, SECRET);
    plan = await createPlan(stack.api, { name: 'Premier Plus' });
    customer = await createCustomer(stack.api, plan.id, 'Contoso');
    admin = await createAgent(stack.api, ['admin_agent'], { name: 'Lucía Fernández' });
    technician = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Tomás Técnico' });
    billingAdmin = await createAgent(stack.api, ['billing_admin'], { name: 'Berta Facturas' });
    expect((await as(admin.token).patch(`/api/v1/agents/${technician.id}`, { queues: ['technical'] })).status).toBe(200);
    // A subject that would end a script element if the data block did not escape it.
    ticket = await triagedInto('VPN drops </script><script>alert(1)</script> every hour', 'technical');
    for (let i = 1; i <= COMMENTS; i++) {
      const body = i === 2 ? HOSTILE_BODY : `Update ${i}: checked the relay again.`;
      expect((await as(admin.token).post(`/api/v1/tickets/${ticket.id}/comments`, { body, visibility: i % 4 ? 'public' : 'internal' })).status).toBe(201);
    }
    billingTicket = await triagedInto('Invoice 2026-114 charged twice', 'billing');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await stack?.close();
    await receiver?.stop();
  });

  it("answers a signed-in agent's /tickets/:id with the header, every timeline entry and the data they were drawn from, under the same CSP, never cached", async () => {
    const cookie = await sessionCookie('/api/v1/session', admin.token);
    const res = await page$(cookie, `/tickets/${ticket.id}`, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect([res.status, res.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.vary).toMatch(/\bCookie\b/);
    // Its data came with the page: no API request preloaded; the page's chunk is.
    expect(String(res.headers.link)).not.toContain('as=fetch');
    expect(String(res.headers.link)).toMatch(/<\/assets\/ticket-page-[\w-]+\.js>; rel=modulepreload/);
    const html = res.text;
    expect(html).not.toContain('<div id="root"></div>');
    // The header: number, subject (escaped), status, priority, queue, assignee, customer, plan, SLA.
    expect(/<h1 id="ticket-title">(.*?)<\/h1>/.exec(html)![1].replaceAll('<!-- -->', '')).toBe(`<span class="ticket-number">${ticket.number}</span> VPN drops &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; every hour`);
    for (const shown of ['<span class="status status-triaged">Triaged</span>', 'class="priority priority-', '<dd>technical</dd>', '<dd>Tomás Técnico</dd>', 'Contoso</a>', '<dd>Premier Plus</dd>', 'class="sla sla-']) expect(html).toContain(shown);
    // Every entry: the comments and the events that are not shown as a comment (created, triaged, the queue's and assignee's changes…).
    const { comments, events } = (await as(admin.token).get(`/api/v1/tickets/${ticket.id}/conversation`)) as { comments: unknown[]; events: Array<{ type: string }> };
    expect(comments).toHaveLength(COMMENTS);
    expect(entriesIn(html)).toBe(COMMENTS + events.filter((e) => e.type !== 'commented' && e.type !== 'attached').length);
    expect(html).toContain(`Update ${COMMENTS}: checked the relay again.`);
    // The reply box is in the HTML too: a public reply chosen, its radios the browser's own (hidden by a class, not by an
    // inline style, which the CSP refuses in HTML), its file field hidden by its attribute, nothing to send yet.
    const replyBox = /<section class="reply-box public"[\s\S]*?<\/section>/.exec(html)![0];
    expect(replyBox.match(/<input type="radio"[^>]*>/g)).toEqual([expect.stringMatching(/ checked="" value="public"/), expect.not.stringMatching(/checked/)]);
    expect(replyBox).toMatch(/<textarea [^>]*name="body"/);
    expect(replyBox).toMatch(/<input type="file" multiple="" hidden=""/);
    expect(replyBox).toMatch(/<button [^>]*type="submit"[^>]*disabled=""/);
    expect(html).not.toMatch(/ style="/);
    // The only script elements are the page's own; the data block holds the ticket's conversation, in UTC.
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">$/), '<script type="application/json" id="console-data">']);
    const data = dataOf(html);
    expect([data.language, data.timeZone]).toEqual(['en', 'UTC']);
    const conversation = data.queries.queries.find((q) => JSON.stringify(q.queryKey).includes('/conversation'))!.state.data as { ticket: Ticket; comments: Array<{ body: string }> };
    expect(conversation.ticket.subject).toBe(ticket.subject);
    // The conversation's JSON as the route sent it, escaped: the hostile body whole, and none of its characters raw in the block.
    expect(conversation.comments.map((c) => c.body)).toContain(HOSTILE_BODY);
    const block = DATA_BLOCK.exec(html)![1];
    expect([block.includes('<'), block.includes('\u2028'), block.includes('\u2029')]).toEqual([false, false, false]);
    expect(block).toContain('\\u003c!-- \\u003c/script>\\u003cscript>alert(2)\\u003c/script> and\\u2028then\\u2029this.');
    expect(html).toContain('Update 2: the log says &lt;!-- &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; and\u2028then\u2029this.');
    // Only what the header and the timeline draw: not the ticket's links nor the macros (the side panels', drawn after the hydration).
    const keys = data.queries.queries.map((q) => JSON.stringify(q.queryKey));
    expect(PANEL_REQUESTS.filter((path) => keys.some((key) => key.includes(path)))).toEqual([]);
    // The API routes it was drawn from are all there (the session's query has a key of its own, not its path).
    expect(FIRST_REQUESTS.filter((path) => path !== '/session' && !keys.some((key) => key.includes(path)))).toEqual([]);

    // Spanish: the language chosen before (its cookie), else the browser's.
    const spanish = (await page$(`${cookie}; helpdesk_console_language=es`, `/tickets/${ticket.id}`)).text;
    expect([spanish.includes('<html lang="es"'), spanish.includes('Clasificado'), dataOf(spanish).language]).toEqual([true, true, 'es']);
  });

  it('gives the plain page, 200, to nobody signed in, a customer, an ended session, an unknown or invalid id', async () => {
    const plain = async (cookie: string | null, path: string) => {
      const res = await page$(cookie, path);
      expect([path, res.status, res.text.includes('<div id="root"></div>'), DATA_BLOCK.test(res.text)]).toEqual([path, 200, true, false]);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      return res;
    };
    expect((await plain(null, `/tickets/${ticket.id}`)).headers.vary).toMatch(/\bCookie\b/);
    await plain(await sessionCookie('/api/v1/portal/session', customer.token), `/tickets/${ticket.id}`);
    await plain('helpdesk_session=not-a-session', `/tickets/${ticket.id}`);
    const technicianCookie = await sessionCookie('/api/v1/session', technician.token);
    expect(DATA_BLOCK.test((await page$(technicianCookie, `/tickets/${ticket.id}`)).text)).toBe(true);
    await plain(technicianCookie, '/tickets/00000000-0000-4000-8000-000000000000');
    await plain(technicianCookie, '/tickets/not-an-id');
    await plain(technicianCookie, `/portal/tickets/${ticket.id}`);
  });

  it("resolves the page's session once for all its answers, with the caller's role limits; nothing a client sends stands for a session", async () => {
    const resolve = jest.spyOn(stack.api.app.get(ConsoleSessionsService), 'resolve');
    try {
      const technicianCookie = await sessionCookie('/api/v1/session', technician.token);
      const adminCookie = await sessionCookie('/api/v1/session', admin.token);
      const agentsIn = (html: string) => dataOf(html).queries.queries.filter((q) => JSON.stringify(q.queryKey).includes('/api/v1/agents')).length;
      resolve.mockClear();
      const technicians = (await page$(technicianCookie, `/tickets/${ticket.id}`)).text;
      expect(DATA_BLOCK.test(technicians)).toBe(true);
      // Six answers (session, conversation, attachments, customers, plans, agents), one session lookup: the page's.
      expect(resolve).toHaveBeenCalledTimes(1);
      // The directory of agents is admin_agent's: a helpdesk_agent's page has no answer for it, the admin's has.
      expect(agentsIn(technicians)).toBe(0);
      expect(agentsIn((await page$(adminCookie, `/tickets/${ticket.id}`)).text)).toBe(1);
      // Headers that would claim a principal or a session change nothing, in a page or a request of the API's own.
      const claims = { 'X-Principal': JSON.stringify({ kind: 'staff', agentId: admin.id, roles: ['global_admin'] }), 'X-Console-Session': adminCookie, 'X-Forwarded-User': admin.id, 'X-Page-Session': '1' };
      expect(agentsIn((await page$(technicianCookie, `/tickets/${ticket.id}`, claims)).text)).toBe(0);
      expect((await request(stack.api.url).get('/api/v1/agents').set({ Cookie: technicianCookie, ...claims })).status).toBe(403);
      expect((await request(stack.api.url).get('/api/v1/agents').set(claims)).status).toBe(401);
      const forged = await page$('helpdesk_session=not-a-session', `/tickets/${ticket.id}`, claims);
      expect([forged.status, DATA_BLOCK.test(forged.text)]).toEqual([200, false]);
      // A session ended between two pages: the next page is the plain one, and its API requests are refused.
      const ending = await sessionCookie('/api/v1/session', technician.token);
      expect(DATA_BLOCK.test((await page$(ending, `/tickets/${ticket.id}`)).text)).toBe(true);
      expect((await request(stack.api.url).delete('/api/v1/session').set({ Cookie: ending, 'X-CSRF-Token': ((await request(stack.api.url).get('/api/v1/session').set('Cookie', ending)).body as { csrfToken: string }).csrfToken })).status).toBe(204);
      expect(DATA_BLOCK.test((await page$(ending, `/tickets/${ticket.id}`)).text)).toBe(false);
      expect((await request(stack.api.url).get(`/api/v1/tickets/${ticket.id}/conversation`).set('Cookie', ending)).status).toBe(401);
    } finally {
      resolve.mockRestore();
    }
  });

  it("shows a change of the customer's name or plan, made through the API, on the next page", async () => {
    const cookie = await sessionCookie('/api/v1/session', technician.token);
    const pageOf = async () => (await page$(cookie, `/tickets/${ticket.id}`)).text;
    expect(await pageOf()).toContain('<dd>Premier Plus</dd>');
    expect(await pageOf()).toContain('Contoso</a>');
    try {
      expect((await as(admin.token).patch(`/api/v1/support-plans/${plan.id}`, { name: 'Premier Plus 2027' })).status).toBe(200);
      expect((await as(admin.token).patch(`/api/v1/customers/${customer.id}`, { name: 'Contoso Ltd' })).status).toBe(200);
      const changed = await pageOf();
      expect([changed.includes('<dd>Premier Plus 2027</dd>'), changed.includes('Contoso Ltd</a>')]).toEqual([true, true]);
    } finally {
      expect((await as(admin.token).patch(`/api/v1/support-plans/${plan.id}`, { name: 'Premier Plus' })).status).toBe(200);
      expect((await as(admin.token).patch(`/api/v1/customers/${customer.id}`, { name: 'Contoso' })).status).toBe(200);
    }
    expect(await pageOf()).toContain('<dd>Premier Plus</dd>');
  });

  it('shows the header and the timeline with JavaScript off', async () => {
    const context = await browserWith(await sessionCookie('/api/v1/session', admin.token), { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/tickets/${ticket.id}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`${ticket.number} ${ticket.subject}`);
    expect(await page.locator('.timeline-entry').count()).toBeGreaterThan(COMMENTS);
    const last = page.getByText(`Update ${COMMENTS}: checked the relay again.`);
    await last.scrollIntoViewIfNeeded();
    expect(await last.isVisible()).toBe(true);
    await screenshot(page, 'ticket-without-javascript', 'viewport');
  });

  it('renders what the API gives the caller: an agent of other queues sees the ticket as the API shows it to them, one who only reads it no internal notes', async () => {
    // Queues route work, they do not hide tickets: the technician (technical queue only) reads the billing ticket, as the API answers them.
    const technicianCookie = await sessionCookie('/api/v1/session', technician.token);
    const billing = (await page$(technicianCookie, `/tickets/${billingTicket.id}`)).text;
    expect(dataOf(billing).queries.queries.some((q) => JSON.stringify(q.state.data).includes(billingTicket.id))).toBe(true);
    expect(billing).toContain('Invoice 2026-114 charged twice');
    // A billing_admin only reads a technical ticket: its public comments, not the internal notes (every 4th update).
    const reader = (await page$(await sessionCookie('/api/v1/session', billingAdmin.token), `/tickets/${ticket.id}`)).text;
    expect(DATA_BLOCK.test(reader)).toBe(true);
    expect(reader).toContain('Update 1: checked the relay again.');
    expect(reader).not.toContain('Update 4: checked the relay again.');
    expect(reader).not.toContain('Internal note');
    expect(reader).not.toContain('<textarea');
  });

  it("shows an unknown ticket as the API's 404 in the browser, as before", async () => {
    const { context, page, problems } = await openPage(stack);
    contexts.push(context);
    const [name, value] = (await sessionCookie('/api/v1/session', technician.token)).split('=');
    await context.addCookies([{ name, value, url: stack.api.url }]);
    const response = await page.goto('/tickets/00000000-0000-4000-8000-000000000000');
    expect(DATA_BLOCK.test(await response!.text())).toBe(false);
    await page.getByRole('alert').waitFor({ timeout: 30_000 });
    expect(problems.cspViolations).toEqual([]);
  });

  it('hydrates the page without asking for its data again, with no hydration or CSP message; times in the browser’s zone; reply, status change and live updates work', async () => {
    // A browser far from UTC: the server drew the times in UTC, the browser draws them again in its own zone.
    const { context, page, problems } = await openPage(stack, 'en', { timezoneId: 'America/Los_Angeles' });
    contexts.push(context);
    const [name, value] = (await sessionCookie('/api/v1/session', admin.token)).split('=');
    await context.addCookies([{ name, value, url: stack.api.url }]);
    const asked: string[] = [];
    page.on('request', (r: Request) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) asked.push(`${r.method()} ${url.pathname}`);
    });
    const response = await page.goto(`/tickets/${ticket.id}`);
    expect(response!.headers()['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(DATA_BLOCK.test(await response!.text())).toBe(true);
    await page.locator('html[data-ticket-live]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => performance.getEntriesByName('console:ticket-live').length)).toBe(1);
    // The reply box and the side panels are drawn after the page is React's (the actions' status field).
    await page.locator('.reply-box textarea').waitFor();
    await page.getByLabel('Status').waitFor();
    const repeated = asked.filter((a) => a.startsWith('GET ') && FIRST_REQUESTS.some((path) => a.endsWith(path)));
    expect(repeated).toEqual([]);
    // The side panels' data, left out of the HTML, is asked by the browser, once each; the links' panel shows its answer.
    await page.getByText('No linked tickets.').waitFor();
    expect(PANEL_REQUESTS.map((path) => asked.filter((a) => a.startsWith('GET ') && a.endsWith(path)).length)).toEqual([1, 1]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    // Every time is the browser's (Los Angeles), not the server's UTC.
    await eventually(
      () =>
        page.evaluate(() => {
          const format = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
          return [...document.querySelectorAll('.timeline time')].filter((time) => time.textContent !== format.format(new Date(time.getAttribute('datetime')!))).length;
        }),
      (wrong) => wrong === 0,
      10_000,
      "the timeline's times in the browser's zone",
    );

    // Reply: the new comment joins the timeline.
    const entries = await page.locator('.timeline-entry').count();
    await page.locator('.reply-box textarea').fill('Reply after hydration');
    await page.getByRole('button', { name: 'Send reply to customer' }).click();
    await page.locator('.timeline-entry', { hasText: 'Reply after hydration' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.timeline-entry').count()).toBeGreaterThan(entries);

    // Status.
    await page.getByLabel('Status').selectOption('in_progress');
    await page.locator('.ticket-header .status', { hasText: 'In progress' }).waitFor();
    expect((await as(admin.token).get(`/api/v1/tickets/${ticket.id}`)).status).toBe('in_progress');

    // Live: an escalation made elsewhere (the API) shows on an open rendered page without a reload (a billing matter:
    // the commercial tier takes it without a contract).
    const billingPage = await page.goto(`/tickets/${billingTicket.id}`);
    expect(DATA_BLOCK.test(await billingPage!.text())).toBe(true);
    await page.locator('.reply-box textarea').waitFor();
    // The stream is open (the console asks for nothing it missed before: an event sent earlier would not show).
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    receiver.plan({ status: 201, body: { caseId: 'MS-CASE-4410' } });
    expect((await as(admin.token).post(`/api/v1/tickets/${billingTicket.id}/escalations`, { reason: 'Only the vendor can credit the duplicate charge.' })).status).toBe(202);
    await page.locator('.ticket-header .status', { hasText: 'Escalated' }).waitFor({ timeout: 45_000 });
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  });

  it('sends what was typed and chosen in the reply box before React took the page over, as it was shown: an internal note', async () => {
    const { context, page, problems } = await openPage(stack);
    contexts.push(context);
    const [name, value] = (await sessionCookie('/api/v1/session', admin.token)).split('=');
    await context.addCookies([{ name, value, url: stack.api.url }]);
    // The console's script is held until the agent has typed and chosen in the server's HTML.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/index-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    // Not `domcontentloaded`: that waits for the (held) module script.
    await page.goto(`/tickets/${ticket.id}`, { waitUntil: 'commit' });
    await page.locator('.reply-box textarea').waitFor({ timeout: 30_000 });
    const body = 'Typed before the page was React’s: check the relay certificate.';
    await page.locator('.reply-box textarea').fill(body);
    await page.locator('.reply-box label.visibility-option.internal').click();
    expect(await page.getByRole('radio', { name: 'Internal note' }).isChecked()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-ticket-live'))).toBe(false);
    release();
    await page.locator('html[data-ticket-live]').waitFor({ timeout: 30_000 });
    // The state follows the page: the internal note's button, enabled, and the box drawn as a note.
    await page.locator('.reply-box.internal').waitFor();
    expect(await page.locator('.reply-box textarea').inputValue()).toBe(body);
    expect(await page.getByRole('radio', { name: 'Internal note' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await page.locator('.timeline-entry.comment.internal', { hasText: body }).waitFor({ timeout: 20_000 });
    const comments = (await as(admin.token).get(`/api/v1/tickets/${ticket.id}/comments`)) as unknown as Array<{ body: string; visibility: string }>;
    expect(comments.filter((c) => c.body === body).map((c) => c.visibility)).toEqual(['internal']);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  });

  it('sends the plain page, still 200, when the render throws', async () => {
    await withThrowingRender(stack, 'renderTicket', admin.token, async (broken, cookie) => {
      const res = await request(broken.url).get(`/tickets/${ticket.id}`).set('Cookie', cookie);
      expect([res.status, res.text.includes('<div id="root"></div>'), DATA_BLOCK.test(res.text)]).toEqual([200, true, false]);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      // The inbox still renders with the same build.
      expect(DATA_BLOCK.test((await request(broken.url).get('/').set('Cookie', cookie)).text)).toBe(true);
    });
  });
});
