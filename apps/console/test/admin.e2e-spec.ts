import { bearer, createAgent, eventually } from '../../../test/support';
import { dateText, fillDate, openPage, screenshot, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(120_000);

describe('console: the admin screens (real Chromium, real API)', () => {
  let stack: ConsoleStack;
  let admin: { id: string; token: string };
  const get = async (path: string) => (await stack.api.http.get(path).set(bearer(stack.api.adminToken))).body;

  beforeAll(async () => {
    stack = await startConsoleStack();
    admin = await createAgent(stack.api, ['admin_agent']);
  });
  afterAll(() => stack?.close());

  it('saves a new rule switched off, shows its impact, dry-runs a sample ticket through it once enabled, and writes no ticket', async () => {
    const { context, page, problems } = await openPage(stack);
    await signIn(page, admin.token);
    await page.goto('/settings/rules');
    await page.getByRole('button', { name: 'New rule' }).click();
    const editor = page.locator('section', { has: page.locator('#rule-editor-title') });
    await editor.getByLabel('Name', { exact: true }).fill('Invoices to billing');
    await editor.getByLabel('Any of these words').fill('factura*, invoice');
    await editor.locator('fieldset', { hasText: 'Then set' }).getByLabel('Queue').fill('billing-es');
    await editor.locator('fieldset', { hasText: 'Then set' }).getByLabel('Priority').selectOption('P2');
    await editor.getByRole('button', { name: 'Save switched off' }).click();

    await page.getByText(/Would match 0 of the last 0 tickets/).waitFor();
    const [saved] = (await get('/api/v1/triage-rules')) as Array<{ id: string; name: string; enabled: boolean; conditions: object; actions: object }>;
    expect(saved).toMatchObject({ name: 'Invoices to billing', enabled: false, conditions: { anyKeywords: ['factura*', 'invoice'] }, actions: { queue: 'billing-es', priority: 'P2' } });

    // The dry run uses the enabled rules: off, the rule does not match; on, it does.
    const dryRun = page.locator('section', { has: page.locator('#dry-run-title') });
    await dryRun.getByLabel('Subject').fill('Error en la factura de noviembre');
    await dryRun.getByLabel('Description').fill('La facturación de noviembre aparece duplicada.');
    await dryRun.getByRole('button', { name: 'Run the dry run' }).click();
    await dryRun.getByText('No rule matched.').waitFor();

    await page.getByRole('button', { name: 'Switch the rule on' }).click();
    await page.getByRole('button', { name: /Invoices to billing/ }).filter({ hasText: 'Enabled' }).waitFor();
    await dryRun.getByRole('button', { name: 'Run the dry run' }).click();
    const result = dryRun.getByRole('status', { name: 'Dry-run result' });
    await result.getByText('Invoices to billing — priority, queue').waitFor();
    await result.getByText('billing-es').waitFor();
    await result.getByText('set by rule "Invoices to billing"').first().waitFor();
    expect((await get('/api/v1/tickets')).items).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('edits a support plan’s business hours and holidays', async () => {
    const { context, page } = await openPage(stack);
    await signIn(page, admin.token);
    await page.goto('/settings/plans');
    await page.getByRole('button', { name: 'New support plan' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Iberia business hours');
    await page.getByLabel('Time zone').fill('Europe/Madrid');
    // Friday ends early; Saturday morning is added.
    await page.getByLabel('End of window 5').fill('15:00');
    await page.getByRole('button', { name: 'Add a window' }).click();
    await page.getByLabel('Day of window 6').selectOption('6');
    await page.getByLabel('Start of window 6').fill('10:00');
    await page.getByLabel('End of window 6').fill('14:00');
    await fillDate(page.getByRole('group', { name: 'Holiday', exact: true }), '2026-12-25');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: /Iberia business hours/ }).waitFor();

    const [plan] = (await get('/api/v1/support-plans')) as Array<{ name: string; timezone: string; businessHours: object[]; holidays: string[] }>;
    expect(plan.timezone).toBe('Europe/Madrid');
    expect(plan.holidays).toEqual(['2026-12-25']);
    expect(plan.businessHours).toEqual([
      { day: 1, start: '09:00', end: '18:00' },
      { day: 2, start: '09:00', end: '18:00' },
      { day: 3, start: '09:00', end: '18:00' },
      { day: 4, start: '09:00', end: '18:00' },
      { day: 5, start: '09:00', end: '15:00' },
      { day: 6, start: '10:00', end: '14:00' },
    ]);

    // A window that ends before it starts is the API's to refuse, and the page says so.
    await page.getByRole('button', { name: /Iberia business hours/ }).click();
    await page.getByLabel('End of window 6').fill('09:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').getByText('the end (09:00) must be after the start (10:00)').waitFor();
    expect(((await get('/api/v1/support-plans')) as Array<{ businessHours: Array<{ end: string }> }>)[0].businessHours[5].end).toBe('14:00');
    await context.close();

    // In Spanish, the same refusal (a service's check, code windowOrder) is said in Spanish, not in the API's English.
    // The console's Spanish, in a browser set to US English.
    const spanish = await openPage(stack, 'es', { locale: 'en-US' });
    await signIn(spanish.page, admin.token);
    await spanish.page.goto('/settings/plans');
    await spanish.page.getByRole('button', { name: /Iberia business hours/ }).click();
    // A date field follows the console's language, not the browser's: day/month/year, said in Spanish.
    expect(await dateText(spanish.page.getByRole('group', { name: 'Festivo', exact: true }))).toBe('dd/mm/aaaa');
    await spanish.page.getByLabel('Fin de la franja 6').fill('09:00');
    await spanish.page.getByRole('button', { name: 'Guardar' }).click();
    const alert = spanish.page.getByRole('alert');
    await alert.getByText('el fin (09:00) debe ser posterior al inicio (10:00)').waitFor();
    expect(await alert.innerText()).not.toMatch(/must be after|Bad Request/);
    expect(spanish.problems).toEqual({ errors: [], cspViolations: [] });
    await spanish.context.close();
  });

  it('says what the API refuses in an agent form in the reader’s language, naming the field, and sets an agent’s mail language', async () => {
    type AgentRow = { id: string; name: string; email: string; locale: 'es' | 'en' | null };
    const agents = async () => (await get('/api/v1/agents')) as AgentRow[];
    const before = (await agents()).length;

    // In Spanish: a name over 200 characters is the API's to refuse (the browser lets it through).
    const spanish = await openPage(stack, 'es');
    await signIn(spanish.page, stack.api.adminToken);
    await spanish.page.goto('/settings/agents');
    const nuevo = spanish.page.getByRole('region', { name: 'Nuevo agente' });
    await nuevo.getByLabel('Nombre', { exact: true }).fill('x'.repeat(201));
    await nuevo.getByLabel('Correo', { exact: true }).fill('marta.ruiz@partner.example');
    await nuevo.getByLabel('Idioma del correo').selectOption('es');
    await nuevo.getByRole('button', { name: 'Crear agente' }).click();
    await nuevo.getByText('«Nombre» debe tener entre 1 y 200 caracteres').waitFor();
    expect(await nuevo.innerText()).not.toMatch(/must be|shorter than/);
    expect((await agents()).length).toBe(before);

    // Corrected, the agent is created with the mail language chosen.
    await nuevo.getByLabel('Nombre', { exact: true }).fill('Marta Ruiz');
    await nuevo.getByRole('button', { name: 'Crear agente' }).click();
    await nuevo.getByRole('status').getByText('Marta Ruiz').waitFor();
    const marta = (await agents()).find((a) => a.email === 'marta.ruiz@partner.example')!;
    expect(marta).toMatchObject({ name: 'Marta Ruiz', locale: 'es' });

    // Edited: the mail language the card shows is the agent's, and a new one is saved.
    const page = spanish.page;
    const card = page.getByRole('form', { name: 'Marta Ruiz' });
    const patch = (body: object) => stack.api.http.patch(`/api/v1/agents/${marta.id}`).set(bearer(stack.api.adminToken)).send(body).expect(200);
    const listBack = () => page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/v1/agents');
    const drawn = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await card.getByLabel('Idioma del correo').inputValue()).toBe('es');
    // The list asked again after the save is held until the next choice is made: the card keeps that choice when the list comes back.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/agents', async (route) => {
      if (route.request().method() === 'GET') await held;
      await route.continue();
    });
    await card.getByLabel('Idioma del correo').selectOption('en');
    await card.getByRole('button', { name: 'Guardar' }).click();
    await eventually(async () => (await agents()).find((a) => a.id === marta.id)?.locale, (locale) => locale === 'en', 15_000, 'English saved as the mail language');
    await card.getByLabel('Idioma del correo').selectOption('');
    const back = listBack();
    release();
    await back;
    await drawn();
    await page.unroute('**/api/v1/agents');
    expect(await card.getByLabel('Idioma del correo').inputValue()).toBe('');
    expect(await card.getByRole('status').count()).toBe(0);
    // Back to none chosen: null, English then Spanish.
    await card.getByRole('button', { name: 'Guardar' }).click();
    await eventually(async () => (await agents()).find((a) => a.id === marta.id)?.locale, (locale) => locale === null, 15_000, 'no mail language saved');

    // Someone else changes Marta's queues and availability while her queues are being edited here; another card's save brings the list back.
    await card.getByLabel('Colas').fill('billing, azure');
    await patch({ queues: ['technical'], available: false });
    const other = page.locator('.agent-cards form:not([aria-label="Marta Ruiz"])').first();
    let again = listBack();
    await other.getByRole('button', { name: 'Guardar' }).click();
    await again;
    // The edit is kept and the card says what was saved meanwhile; the untouched switch follows the saved agent.
    const notice = card.getByRole('status');
    await notice.getByText('Otra persona cambió y guardó a Marta Ruiz mientras usted editaba esta ficha.', { exact: false }).waitFor();
    expect(await notice.getByRole('listitem').allInnerTexts()).toEqual(['Colas: technical']);
    expect(await card.getByLabel('Colas').inputValue()).toBe('billing, azure');
    expect(await card.getByRole('switch', { name: 'Disponible' }).isChecked()).toBe(false);
    // Taking the saved values drops the edit of the changed field.
    await notice.getByRole('button', { name: 'Tomar los valores guardados' }).click();
    expect(await card.getByLabel('Colas').inputValue()).toBe('technical');
    expect(await card.getByRole('status').count()).toBe(0);

    // Again, and this time the admin's edit is saved over it, knowingly: only the field edited here is written back.
    await card.getByLabel('Colas').fill('billing, azure');
    await patch({ queues: ['technical', 'billing-es'], maxOpenTickets: 7 });
    again = listBack();
    await other.getByRole('button', { name: 'Guardar' }).click();
    await again;
    // The list's answer is in; the card draws what changed under the edit in the render after it.
    await notice.getByRole('listitem').filter({ hasText: 'technical, billing-es' }).waitFor();
    expect(await notice.getByRole('listitem').allInnerTexts()).toEqual(['Colas: technical, billing-es']);
    expect(await card.getByLabel('Máximo de tickets abiertos').inputValue()).toBe('7');
    await screenshot(page, 'agents-changed-meanwhile');
    await card.getByRole('button', { name: 'Guardar los míos sobre los suyos' }).click();
    await eventually(
      async () => (await stack.api.http.get(`/api/v1/agents`).set(bearer(stack.api.adminToken))).body.find((a: { id: string }) => a.id === marta.id),
      (a: { queues: string[] }) => a.queues.join() === 'billing,azure',
      15_000,
      'the edited queues saved',
    );
    expect((await get('/api/v1/agents')).find((a: { id: string }) => a.id === marta.id)).toMatchObject({ queues: ['billing', 'azure'], available: false, maxOpenTickets: 7, locale: null });
    await card.getByRole('button', { name: 'Guardar' }).waitFor();
    expect(await card.getByRole('status').count()).toBe(0);
    expect(spanish.problems).toEqual({ errors: [], cspViolations: [] });
    await spanish.context.close();

    // In English: the same refusal, and an e-mail already in use (a service's check, code `taken`).
    const english = await openPage(stack, 'en');
    await signIn(english.page, stack.api.adminToken);
    await english.page.goto('/settings/agents');
    const form = english.page.getByRole('region', { name: 'New agent' });
    await form.getByLabel('Name', { exact: true }).fill('x'.repeat(201));
    await form.getByLabel('E-mail', { exact: true }).fill('marta.ruiz@partner.example');
    await form.getByRole('button', { name: 'Create agent' }).click();
    await form.getByText('“Name” must be 1 to 200 characters long').waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Marta Ruiz Again');
    await form.getByRole('button', { name: 'Create agent' }).click();
    await form.getByText('“E-mail” is already in use').waitFor();
    expect((await agents()).filter((a) => a.email === 'marta.ruiz@partner.example')).toHaveLength(1);
    expect(english.problems).toEqual({ errors: [], cspViolations: [] });
    await english.context.close();
  });
});
