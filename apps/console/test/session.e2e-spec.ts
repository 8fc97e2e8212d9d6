import { bearer, createAgent, createCustomer, createPlan, ticketBody } from '../../../test/support';
import { openPage, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(120_000);

describe('console: signing in and out, what each role sees, Spanish and English (real Chromium, real API)', () => {
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

  it('signs in with a staff token kept for the tab only (sessionStorage, never localStorage), and signs out', async () => {
    const { context, page, problems } = await openPage(stack);
    await signIn(page, agents.helpdesk_agent.token);
    const stored = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: Object.values(localStorage) }));
    expect(stored.session).toContain(agents.helpdesk_agent.token);
    expect(stored.local).not.toContain(agents.helpdesk_agent.token);

    // A reload keeps the session; a second tab of another browser does not have it.
    await page.reload();
    await page.locator('#inbox-title').waitFor();
    const other = await stack.browser.newContext({ baseURL: stack.api.url });
    const otherPage = await other.newPage();
    await otherPage.goto('/');
    await otherPage.locator('input[name="token"]').waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('input[name="token"]').waitFor();
    expect(await page.evaluate(() => Object.values(sessionStorage))).not.toContain(agents.helpdesk_agent.token);
    await page.reload();
    await page.locator('input[name="token"]').waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('refuses an unknown token and a customer token, saying why, and stores neither', async () => {
    const { context, page } = await openPage(stack);
    await page.goto('/');
    await page.locator('input[name="token"]').fill('hds_this_token_does_not_exist_0000000000');
    await page.locator('form button[type="submit"]').click();
    await page.getByText('The API does not accept this token (unknown or revoked).').waitFor();
    await page.locator('input[name="token"]').fill(customer.token);
    await page.locator('form button[type="submit"]').click();
    await page.getByText("This is a customer token; the console is for the partner's staff.").waitFor();
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([]);
    await context.close();
  });

  it('shows a sales agent no admin screens and no ticket actions, and refuses the settings address', async () => {
    const { context, page } = await openPage(stack);
    await signIn(page, agents.sales_agent.token);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Inbox']);
    await page.goto(`/tickets/${ticketId}`);
    await page.locator('#ticket-title').waitFor();
    await page.locator('#diagnosis-title').waitFor();
    expect(await page.locator('#reply-title').count()).toBe(0);
    expect(await page.locator('#actions-title').count()).toBe(0);
    await page.goto('/settings/rules');
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    expect(await page.locator('#rules-title').count()).toBe(0);
    await page.goto('/dashboard');
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await context.close();
  });

  it('lets a billing admin comment but not change the ticket, and a helpdesk agent work it without the admin screens', async () => {
    const billing = await openPage(stack);
    await signIn(billing.page, agents.billing_admin.token);
    await billing.page.goto(`/tickets/${ticketId}`);
    await billing.page.locator('#reply-title').waitFor();
    expect(await billing.page.locator('#actions-title').count()).toBe(0);
    await billing.context.close();

    const helpdesk = await openPage(stack);
    await signIn(helpdesk.page, agents.helpdesk_agent.token);
    expect(await helpdesk.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inbox']);
    await helpdesk.page.goto(`/tickets/${ticketId}`);
    await helpdesk.page.locator('#actions-title').waitFor();
    await helpdesk.page.locator('#reply-title').waitFor();
    await helpdesk.context.close();

    const admin = await openPage(stack);
    await signIn(admin.page, agents.admin_agent.token);
    expect(await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inbox', 'Dashboard', 'Settings']);
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
