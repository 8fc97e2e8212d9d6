import { bearer, createAgent, createCustomer, createPlan, ticketBody } from '../../../test/support';
import type { Page } from 'playwright-core';
import { openPage, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(120_000);

describe('console: session cookie sign-in and out, CSRF, expiry, what each role sees, Spanish and English (real Chromium, real API)', () => {
  let stack: ConsoleStack;
  let customer: { id: string; token: string };
  let ticketId: string;
  const agents: Record<string, { id: string; token: string }> = {};

  beforeAll(async () => {
    stack = await startConsoleStack();
    customer = await createCustomer(stack.api, (await createPlan(stack.api)).id);
    for (const role of ['admin_agent', 'helpdesk_agent', 'sales_agent', 'billing_admin']) agents[role] = await createAgent(stack.api, [role]);
    const created = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customer.id));
    ticketId = created.body.id;
  });
  afterAll(() => stack?.close());

  /** Everything the page's scripts can see of the browser's storage and cookies. */
  const scriptVisible = (page: Page) =>
    page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, cookies: document.cookie }));

  it('signs in by exchanging the token for an HttpOnly session cookie (the token nowhere in the browser), survives a reload, and signs out server-side', async () => {
    const { context, page, problems } = await openPage(stack);
    await signIn(page, agents.helpdesk_agent.token);
    await page.getByText(/^Signed in as Agent /).waitFor();
    expect(await scriptVisible(page)).not.toContain(agents.helpdesk_agent.token);
    expect(await scriptVisible(page)).not.toContain('helpdesk_session');
    const cookie = (await context.cookies()).find((c) => c.name === 'helpdesk_session')!;
    expect(cookie).toMatchObject({ name: 'helpdesk_session', httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    expect(cookie.value).not.toContain(agents.helpdesk_agent.token);

    // A reload keeps the session (the cookie); another browser does not have it.
    await page.reload();
    await page.locator('#inbox-title').waitFor();
    const other = await stack.browser.newContext({ baseURL: stack.api.url });
    const otherPage = await other.newPage();
    await otherPage.goto('/');
    await otherPage.locator('input[name="token"]').waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('input[name="token"]').waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'helpdesk_session')).toEqual([]);
    // Signed out in the API, not only in this browser: the old cookie's value is refused.
    const replayed = await stack.api.http.get('/api/v1/tickets').set('Cookie', `helpdesk_session=${cookie.value}`);
    expect(replayed.status).toBe(401);
    await page.reload();
    await page.locator('input[name="token"]').waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it("refuses a write the page's cookie authenticates without the session's CSRF token, and takes it with the token", async () => {
    const { context, page } = await openPage(stack);
    await signIn(page, agents.helpdesk_agent.token);
    const write = (csrf: string | null) =>
      page.evaluate(
        async ({ id, csrf }) => {
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          if (csrf) headers['X-CSRF-Token'] = csrf;
          const res = await fetch(`/api/v1/tickets/${id}/comments`, { method: 'POST', headers, body: JSON.stringify({ body: 'From the page', visibility: 'internal' }) });
          return { status: res.status, body: await res.json() };
        },
        { id: ticketId, csrf },
      );
    const refused = await write(null);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('x-csrf-token');
    expect((await write('a-guessed-token')).status).toBe(403);
    const comments = async () => (await stack.api.http.get(`/api/v1/tickets/${ticketId}/comments`).set(bearer(stack.api.adminToken))).body as Array<{ body: string }>;
    expect((await comments()).map((c) => c.body)).not.toContain('From the page');

    const csrf = await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).csrfToken as string);
    expect((await write(csrf)).status).toBe(201);
    expect((await comments()).map((c) => c.body)).toContain('From the page');
    await context.close();
  });

  it('returns to the sign-in page when the session has expired or its token is revoked', async () => {
    const { context, page } = await openPage(stack);
    await signIn(page, agents.helpdesk_agent.token);
    await stack.api.dataSource.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second'`);
    await page.reload();
    await page.locator('input[name="token"]').waitFor();

    const leaving = await createAgent(stack.api, ['helpdesk_agent']);
    await signIn(page, leaving.token);
    // The inbox has shown its rows before the token goes (revoked earlier, its first page would be refused instead).
    await page.getByRole('grid', { name: 'Inbox' }).getByRole('row').filter({ hasText: 'Cannot sign in to Outlook' }).waitFor();
    const [token] = (await stack.api.http.get(`/api/v1/agents/${leaving.id}/tokens`).set(bearer(stack.api.adminToken))).body as Array<{ id: string }>;
    await stack.api.http.delete(`/api/v1/agents/${leaving.id}/tokens/${token.id}`).set(bearer(stack.api.adminToken)).expect(200);
    // The next request the open console makes (opening a ticket from the inbox, no reload) is refused, and it signs out.
    await page.getByRole('grid', { name: 'Inbox' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('input[name="token"]').waitFor();
    expect((await context.cookies()).filter((c) => c.name === 'helpdesk_session')).toEqual([]);
    await context.close();
  });

  it('refuses an unknown token and a customer token, saying why, and keeps neither', async () => {
    const { context, page } = await openPage(stack);
    await page.goto('/');
    await page.locator('input[name="token"]').fill('hds_this_token_does_not_exist_0000000000');
    await page.locator('form button[type="submit"]').click();
    await page.getByText('The API does not accept this token (unknown or revoked).').waitFor();
    await page.locator('input[name="token"]').fill(customer.token);
    await page.locator('form button[type="submit"]').click();
    await page.getByText("This is a customer token; the console is for the partner's staff.").waitFor();
    expect(await scriptVisible(page)).not.toContain(customer.token);
    expect((await context.cookies()).filter((c) => c.name === 'helpdesk_session')).toEqual([]);
    await context.close();
  });

  it('shows a sales agent no admin screens and no ticket actions, and refuses the settings address', async () => {
    const { context, page, problems } = await openPage(stack);
    await signIn(page, agents.sales_agent.token);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Inbox', 'Customers', 'API tokens']);
    await page.goto(`/tickets/${ticketId}`);
    await page.locator('#ticket-title').waitFor();
    // Should the page not get there, say what the page showed and which script errors it had.
    await page
      .locator('#timeline-title')
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`no timeline: ${String(error)}; page errors ${JSON.stringify(problems.errors)}; page text: ${await page.locator('body').innerText()}`);
      });
    // A sales agent reads the public part only: no triage notes, no reply box, no actions.
    expect(await page.locator('#diagnosis-title').count()).toBe(0);
    expect(await page.locator('#reply-title').count()).toBe(0);
    expect(await page.locator('#actions-title').count()).toBe(0);
    await page.goto('/settings/rules');
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    expect(await page.locator('#rules-title').count()).toBe(0);
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await context.close();
  });

  it('lets a billing admin comment on billing tickets (only read others) but change none, and a helpdesk agent work them without the admin screens', async () => {
    const billingTicket = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(customer.id, { category: 'billing', subject: 'Invoice charged twice' }));
    expect(billingTicket.status).toBe(201);
    const billing = await openPage(stack);
    await signIn(billing.page, agents.billing_admin.token);
    await billing.page.goto(`/tickets/${billingTicket.body.id}`);
    await billing.page.locator('#reply-title').waitFor();
    await billing.page.locator('#diagnosis-title').waitFor();
    expect(await billing.page.locator('#actions-title').count()).toBe(0);
    await billing.page.goto(`/tickets/${ticketId}`);
    await billing.page.locator('#timeline-title').waitFor();
    expect(await billing.page.locator('#reply-title').count()).toBe(0);
    expect(await billing.page.locator('#diagnosis-title').count()).toBe(0);
    await billing.context.close();

    const helpdesk = await openPage(stack);
    await signIn(helpdesk.page, agents.helpdesk_agent.token);
    expect(await helpdesk.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inbox', 'Customers', 'Unmatched mail', 'API tokens']);
    await helpdesk.page.goto(`/tickets/${ticketId}`);
    await helpdesk.page.locator('#actions-title').waitFor();
    await helpdesk.page.locator('#reply-title').waitFor();
    await helpdesk.context.close();

    const admin = await openPage(stack);
    await signIn(admin.page, agents.admin_agent.token);
    expect(await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inbox', 'Customers', 'Unmatched mail', 'Outgoing mail', 'Dashboard', 'Settings', 'API tokens']);
    await admin.context.close();
  });

  it('speaks Spanish and English, switchable, and remembers the choice', async () => {
    const { context, page } = await openPage(stack, 'es');
    await page.goto('/');
    await page.getByRole('heading', { name: 'Entrar en la consola del helpdesk' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await signIn(page, agents.admin_agent.token);
    await page.getByRole('heading', { name: 'Bandeja' }).waitFor();
    await page.getByRole('columnheader', { name: 'Asunto' }).waitFor();

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByRole('columnheader', { name: 'Subject' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.goto(`/tickets/${ticketId}`);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Historial' }).waitFor();
    await page.getByRole('radio', { name: 'Nota interna' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Historial' }).waitFor();
    await context.close();
  });
});
