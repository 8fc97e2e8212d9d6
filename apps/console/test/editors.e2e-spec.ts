/**
 * The console's editors that complete the admin screens (#14): API tokens (an agent's own, any
 * agent's for admins, a customer's on its page), renaming and deleting saved views from the inbox,
 * the rule form's billing-status condition, and a support plan's published offering (scope in
 * Spanish and English, contact points with their hours). Each with what the API refuses shown where
 * the user looks — in real Chromium against the real API, PostgreSQL and Redis, checked with axe-core.
 */
import { bearer, createAgent, createCustomer, createPlan, eventually } from '../../../test/support';
import type { BrowserContext, Page } from 'playwright-core';
import { openPage, screenshot, seriousAccessibilityViolations, signIn, startConsoleStack, type ConsoleStack, type PageProblems } from './support/console-stack';

jest.setTimeout(180_000);

interface Token {
  id: string;
  prefix: string | null;
  revokedAt: string | null;
}

describe('console: tokens, saved views, the billing-status rule condition and the plan offering (real Chromium)', () => {
  let stack: ConsoleStack;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };
  let customer: { id: string; token: string };
  const opened: BrowserContext[] = [];

  const as = (token: string) => ({
    get: (path: string) => stack.api.http.get(path).set(bearer(token)),
    post: (path: string, body: object = {}) => stack.api.http.post(path).set(bearer(token)).send(body),
    delete: (path: string) => stack.api.http.delete(path).set(bearer(token)),
  });
  const signedIn = async (token: string): Promise<{ page: Page; problems: PageProblems }> => {
    const { context, page, problems } = await openPage(stack);
    opened.push(context);
    await signIn(page, token);
    return { page, problems };
  };
  const clean = async (page: Page, problems: PageProblems) => {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  };
  /** Whether the API takes a token now (any staff or customer route it may read). */
  const works = async (token: string, path = '/api/v1/session') => (await as(token).get(path)).status;

  beforeAll(async () => {
    stack = await startConsoleStack();
    const plan = await createPlan(stack.api, { name: 'Business hours Spain' });
    customer = await createCustomer(stack.api, plan.id, 'Contoso');
    admin = await createAgent(stack.api, ['admin_agent'], { name: 'Lucía Fernández' });
    agent = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Pablo Ortega' });
  });
  afterAll(async () => {
    for (const context of opened) await context.close();
    await stack?.close();
  });

  it('lets an agent create a token (shown once), rotate and revoke it; a stale rotation is refused in the API’s words', async () => {
    const { page, problems } = await signedIn(agent.token);
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    const panel = page.getByRole('region', { name: 'My tokens' });
    // Only admins pick another agent.
    expect(await page.getByLabel('Agent', { exact: true }).count()).toBe(0);
    await panel.getByRole('cell', { name: 'Active' }).first().waitFor();
    expect(await panel.getByRole('row').count()).toBe(2);

    await panel.getByRole('button', { name: 'Create a token' }).click();
    const shown = panel.getByRole('status').locator('code');
    await shown.waitFor();
    const created = (await shown.textContent())!;
    expect(created).toMatch(/^hds_/);
    expect(await works(created)).toBe(200);
    await panel.getByRole('row').nth(2).waitFor();
    const tokens = (await as(agent.token).get(`/api/v1/agents/${agent.id}/tokens`)).body as Token[];
    const fresh = tokens.find((t) => t.prefix !== null && created.startsWith(t.prefix))!;
    expect(fresh.revokedAt).toBeNull();
    await screenshot(page, 'tokens');
    await clean(page, problems);

    // Rotate: the old value stops working at once, the new one is shown once and works.
    await panel.getByRole('button', { name: `Rotate ${fresh.prefix}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Rotate the token ${fresh.prefix}…?` });
    await confirm.getByRole('button', { name: 'Rotate' }).click();
    const rotated = (await eventually(() => shown.textContent(), (text) => text !== created, 15_000, 'the rotated token shown'))!;
    expect(await works(created)).toBe(401);
    expect(await works(rotated)).toBe(200);
    await panel.getByRole('cell', { name: /^Revoked / }).first().waitFor();

    // Revoke the rotated one.
    const replacement = ((await as(agent.token).get(`/api/v1/agents/${agent.id}/tokens`)).body as Token[]).find((t) => t.prefix !== null && rotated.startsWith(t.prefix))!;
    await panel.getByRole('button', { name: `Revoke ${replacement.prefix}` }).click();
    await page.getByRole('alertdialog', { name: `Revoke the token ${replacement.prefix}…?` }).getByRole('button', { name: 'Revoke' }).click();
    await panel.getByRole('button', { name: `Revoke ${replacement.prefix}` }).waitFor({ state: 'detached' });
    expect(await works(rotated)).toBe(401);

    // Another of the agent's tokens, revoked elsewhere while the page still lists it as active:
    // rotating it is refused, and the page says why; nothing is issued.
    const other = (await as(agent.token).post(`/api/v1/agents/${agent.id}/tokens`)).body as Token & { token: string };
    await page.reload();
    await panel.getByRole('button', { name: `Rotate ${other.prefix}` }).waitFor();
    expect((await as(admin.token).delete(`/api/v1/agents/${agent.id}/tokens/${other.id}`)).status).toBe(200);
    const before = ((await as(admin.token).get(`/api/v1/agents/${agent.id}/tokens`)).body as Token[]).length;
    await panel.getByRole('button', { name: `Rotate ${other.prefix}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate' }).click();
    await panel.getByRole('alert').getByText(/is revoked; issue a new one instead/).waitFor();
    expect(((await as(admin.token).get(`/api/v1/agents/${agent.id}/tokens`)).body as Token[]).length).toBe(before);
    await clean(page, problems);
  });

  it('lets an admin manage another agent’s tokens and issue a customer’s token on its page', async () => {
    const { page, problems } = await signedIn(admin.token);
    await page.goto('/tokens');
    await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'Pablo Ortega' });
    const panel = page.getByRole('region', { name: 'Tokens of Pablo Ortega' });
    await panel.getByRole('button', { name: 'Create a token' }).click();
    const issued = (await panel.getByRole('status').locator('code').textContent())!;
    expect(((await as(issued).get('/api/v1/session')).body as { agentId: string }).agentId).toBe(agent.id);

    await page.goto(`/customers/${customer.id}`);
    const tokens = page.getByRole('region', { name: 'Customer API tokens' });
    await tokens.getByRole('button', { name: 'Create a token' }).click();
    const customerToken = (await tokens.getByRole('status').locator('code').textContent())!;
    expect(await works(customerToken, '/api/v1/me/support-offering')).toBe(200);
    // A customer token is no staff token: the console's session route refuses it.
    expect(await works(customerToken)).toBe(403);
    await tokens.getByRole('cell', { name: 'Active' }).first().waitFor();
    await clean(page, problems);
  });

  it('renames a personal view (an empty name is refused on the field) and deletes it; a helpdesk agent may not change a shared view', async () => {
    const view = (await as(admin.token).post('/api/v1/views', { name: 'VIP escalations', visibility: 'personal', filter: { status: ['escalated'] } })).body as { id: string };
    const shared = (await as(admin.token).post('/api/v1/views', { name: 'Billing queue', visibility: 'shared', filter: { queue: 'billing' } })).body as { id: string };
    const { page, problems } = await signedIn(admin.token);
    await page.goto(`/?view=${view.id}`);
    await page.getByRole('heading', { level: 1, name: 'VIP escalations' }).waitFor();

    await page.getByRole('button', { name: 'Rename view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename this view' });
    const name = dialog.getByLabel('View name');
    await name.fill('   ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.locator('.react-aria-FieldError').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(((await as(admin.token).get(`/api/v1/views/${view.id}`)).body as { name: string }).name).toBe('VIP escalations');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await name.fill('VIP escalations (Iberia)');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'VIP escalations (Iberia)' }).waitFor();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /^VIP escalations \(Iberia\)/ }).waitFor();
    expect(((await as(admin.token).get(`/api/v1/views/${view.id}`)).body as { name: string }).name).toBe('VIP escalations (Iberia)');

    await page.getByRole('button', { name: 'Delete view' }).click();
    await page.getByRole('alertdialog', { name: 'Delete the view “VIP escalations (Iberia)”?' }).getByRole('button', { name: 'Delete view' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /^VIP escalations/ }).waitFor({ state: 'detached' });
    expect((await as(admin.token).get(`/api/v1/views/${view.id}`)).status).toBe(404);
    await clean(page, problems);

    // A shared view is the admins' to change: a helpdesk agent sees it without the buttons.
    const { page: agentPage } = await signedIn(agent.token);
    await agentPage.goto(`/?view=${shared.id}`);
    await agentPage.getByRole('heading', { level: 1, name: 'Billing queue' }).waitFor();
    await agentPage.locator('.view-note').waitFor();
    expect(await agentPage.getByRole('button', { name: 'Rename view' }).count()).toBe(0);
    expect(await agentPage.getByRole('button', { name: 'Delete view' }).count()).toBe(0);
  });

  it('saves a rule with the customer’s billing status as a condition; a position out of range is refused on its field', async () => {
    const { page, problems } = await signedIn(admin.token);
    await page.goto('/settings/rules');
    await page.getByRole('button', { name: 'New rule' }).click();
    const editor = page.locator('section', { has: page.locator('#rule-editor-title') });
    await editor.getByLabel('Name', { exact: true }).fill('Overdue customers to collections');
    const position = editor.getByLabel('Position');
    await position.fill('2000000');
    const billing = editor.getByRole('group', { name: "Customer's billing status" });
    await billing.getByText('Overdue').click();
    await billing.getByText('Suspended').click();
    await editor.locator('fieldset', { hasText: 'Then set' }).getByLabel('Queue').fill('collections');
    await editor.getByRole('button', { name: 'Save switched off' }).click();
    await editor.locator('.react-aria-FieldError').getByText('“Position” must be at most 1000000').waitFor();
    expect(await position.getAttribute('aria-invalid')).toBe('true');
    expect((await as(admin.token).get('/api/v1/triage-rules')).body).toEqual([]);

    await position.fill('10');
    await editor.getByRole('button', { name: 'Save switched off' }).click();
    await page.getByText(/Would match 0 of the last 0 tickets/).waitFor();
    const [rule] = (await as(admin.token).get('/api/v1/triage-rules')).body as Array<{ name: string; position: number; conditions: object; actions: object }>;
    expect(rule).toMatchObject({ name: 'Overdue customers to collections', position: 10, conditions: { billingStatus: ['overdue', 'suspended'] }, actions: { queue: 'collections' } });
    await clean(page, problems);
  });

  it('edits a plan’s published offering: scope in Spanish and English, a contact point with its hours (a bad address refused on its field)', async () => {
    const { page, problems } = await signedIn(admin.token);
    await page.goto('/settings/plans');
    await page.getByRole('button', { name: 'Business hours Spain' }).click();
    await page.getByLabel('Included (Español)', { exact: true }).fill('Incidencias de Azure y Microsoft 365; dudas de facturación');
    await page.getByLabel('Not included (Español)').fill('Desarrollo a medida y visitas in situ');
    await page.getByLabel('Included (English)', { exact: true }).fill('Azure and Microsoft 365 incidents; billing questions');
    await page.getByLabel('Not included (English)').fill('Custom development and on-site visits');
    await page.getByRole('button', { name: 'Add a contact point' }).click();
    const point = page.getByRole('group', { name: 'contact point 1' });
    await point.getByLabel('Channel (contact point 1)').selectOption('email');
    const address = point.getByLabel('Address (contact point 1)');
    await address.fill('soporte at partner');
    await point.getByLabel('Time zone (contact point 1)').fill('Europe/Madrid');
    await point.getByRole('button', { name: 'Add a window (contact point 1)' }).click();
    await point.getByLabel('Start of window 1 (contact point 1)').fill('08:00');
    await point.getByLabel('End of window 1 (contact point 1)').fill('20:00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await point.locator('.react-aria-FieldError').getByText(/must be an e-mail address/).waitFor();
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'plan-offering');
    type Plan = { scope: unknown; contactPoints: unknown[] };
    expect(((await as(admin.token).get('/api/v1/support-plans')).body as Plan[])[0]).toMatchObject({ scope: null, contactPoints: [] });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await address.fill('soporte@partner.example');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const plan = await eventually(async () => ((await as(admin.token).get('/api/v1/support-plans')).body as Plan[])[0], (saved) => saved.contactPoints.length === 1, 15_000, 'the offering saved');
    expect(plan).toMatchObject({
      scope: {
        es: { included: 'Incidencias de Azure y Microsoft 365; dudas de facturación', excluded: 'Desarrollo a medida y visitas in situ' },
        en: { included: 'Azure and Microsoft 365 incidents; billing questions', excluded: 'Custom development and on-site visits' },
      },
      contactPoints: [{ channel: 'email', address: 'soporte@partner.example', timezone: 'Europe/Madrid', hours: [{ day: 1, start: '08:00', end: '20:00' }] }],
    });
    // The customer reads it in their offering.
    const offering = (await as(customer.token).get('/api/v1/me/support-offering')).body as { contactPoints: unknown[] };
    expect(offering.contactPoints).toHaveLength(1);
    await clean(page, problems);
  });
});
