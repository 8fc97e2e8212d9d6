/**
 * The collections page in real Chromium: a billing admin previews the date an overdue invoice's
 * reminder falls due and sees it (counts and list), runs it after a confirmation that repeats the
 * preview's counts, follows the run to its end and finds it in the past runs, newest first. A real
 * run the API refuses (a date after the partner's today) is told in the reader's language, naming
 * the field. Spanish and English; a future date can only be previewed; a helpdesk agent has no link
 * and no page.
 */
import type { Page } from 'playwright-core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { BillingClock, deadlineJobId } from '@helpdesk/billing';
import { QueueName } from '@helpdesk/queue';
import { bearer, createAgent, createCustomer, createPlan, eventually } from '../../../test/support';
import { dateText, fillDate, openPage, screenshot, seriousAccessibilityViolations, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(240_000);

const DAY_MS = 86_400_000;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

describe('console: collections (dunning runs)', () => {
  let stack: ConsoleStack;
  let billingAdmin: { id: string; token: string };
  let helpdesk: { id: string; token: string };
  const start = new Date();

  const setClock = (at: Date | null) => {
    stack.api.app.get(BillingClock, { strict: false }).set(at);
    stack.worker.get(BillingClock, { strict: false }).set(at);
  };
  const runs = async () => (await stack.api.http.get('/api/v1/dunning/runs').set(bearer(billingAdmin.token))).body as Array<{ trigger: string; status: string; asOf: string | null; result: { applied: { remind: number } } | null }>;
  /** The browser's today, which the page starts on. */
  const browserToday = (page: Page) => page.evaluate(() => {
    const now = new Date();
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  });

  beforeAll(async () => {
    stack = await startConsoleStack();
    billingAdmin = await createAgent(stack.api, ['billing_admin'], { name: 'Berta Cobros' });
    helpdesk = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Ana García' });
    const customerId = (await createCustomer(stack.api, (await createPlan(stack.api)).id, 'Contoso Ibérica')).id;
    const as = bearer(billingAdmin.token);
    const policy = { timezone: 'UTC', steps: [{ action: 'remind', days: 1 }, { action: 'final_notice', days: 15 }, { action: 'suspend', days: 30, products: 'all', restoreRequires: 'overdue' }] };
    expect((await stack.api.http.put('/api/v1/collections-policy').set(as).send(policy)).status).toBe(200);
    const account = { currency: 'EUR', paymentTermsDays: 30, contact: { name: 'Marta López', email: 'marta@contoso.example' }, locale: 'es' };
    expect((await stack.api.http.put(`/api/v1/customers/${customerId}/billing-account`).set(as).send(account)).status).toBe(201);
    // Recorded while not yet due (the customer's deadline check finds nothing and schedules its reminder days ahead),
    // due three days ago now: its reminder is due today and waits for a run.
    setClock(new Date(start.getTime() - 10 * DAY_MS));
    const dueOn = isoDay(new Date(start.getTime() - 3 * DAY_MS));
    const invoice = { customerId, issuedOn: isoDay(new Date(start.getTime() - 33 * DAY_MS)), dueOn, currency: 'EUR', lines: [{ description: 'Microsoft 365', amount: '120.00' }] };
    expect((await stack.api.http.put('/api/v1/invoices/FAC-2026-1001').set(as).send(invoice)).status).toBe(201);
    const deadlines = stack.api.app.get<Queue>(getQueueToken(QueueName.BillingDeadlines), { strict: false });
    const remindAt = new Date(`${isoDay(new Date(Date.parse(`${dueOn}T00:00:00Z`) + DAY_MS))}T00:00:00Z`);
    await eventually(async () => (await deadlines.getJob(deadlineJobId(customerId, remindAt)))?.getState(), (state) => state === 'delayed', 30_000, 'the reminder scheduled');
    setClock(null);
    expect(await runs()).toEqual([]);
  });
  afterAll(async () => {
    if (stack) setClock(null);
    await stack?.close();
  });

  it('previews the reminder due today, refuses a run after the partner’s today on its field, then runs it and lists it — in Spanish', async () => {
    // A Spanish console in a browser set to US English: the date is still day/month/year.
    const { context, page, problems } = await openPage(stack, 'es', { locale: 'en-US' });
    await signIn(page, billingAdmin.token);
    await page.getByRole('link', { name: 'Cobros' }).click();
    await page.getByRole('heading', { name: 'Cobros', level: 1 }).waitFor();
    const today = await browserToday(page);
    expect(await page.locator('input[type="date"][name="asOf"]').inputValue()).toBe(today);
    const [year, month, day] = today.split('-');
    expect(await dateText(page.getByRole('group', { name: 'Fecha de ejecución', exact: true }))).toBe(`${day}/${month}/${year}`);
    await page.getByText('Aún no hay ninguna ejecución de cobro.').waitFor();
    // Nothing previewed yet: nothing to run.
    expect(await page.getByRole('button', { name: 'Ejecutar a esta fecha' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Previsualizar' }).click();
    await page.getByRole('heading', { name: /^Previsualización a / }).waitFor();
    const item = page.getByRole('row').filter({ hasText: 'FAC-2026-1001' });
    await item.getByRole('cell', { name: 'Contoso Ibérica' }).waitFor();
    await item.getByRole('cell', { name: 'Recordatorio' }).waitFor();
    // The policy's first step, as a person counts them.
    await item.getByRole('cell', { name: 'paso 1 (política v1)' }).waitFor();
    expect(await page.locator('[data-count="reminders"] dd').first().textContent()).toBe('1');
    expect(await page.locator('[data-count="suspensions"] dd').first().textContent()).toBe('0');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The partner's calendar is still on yesterday: the API refuses a real run as of the browser's today, on asOf.
    setClock(new Date(start.getTime() - DAY_MS));
    await page.getByRole('button', { name: 'Ejecutar a esta fecha' }).click();
    const dialog = page.getByRole('alertdialog', { name: /^¿Ejecutar los cobros a / });
    await dialog.getByText('se enviarán 1 recordatorio(s) y 0 último(s) aviso(s), y se aplicarán 0 suspensión(es) (0 suscripción(es)), a 1 cliente(s)').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Ejecutar a esta fecha' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Fecha de ejecución' });
    await refusal.getByText(/una ejecución real no puede ser posterior a hoy en el calendario del socio/).waitFor();
    expect((await runs()).filter((r) => r.trigger === 'manual')).toEqual([]);

    setClock(null);
    await page.getByRole('button', { name: 'Ejecutar a esta fecha' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Ejecutar a esta fecha' }).click();
    const result = page.getByRole('region', { name: /^Ejecución a / });
    await result.getByRole('status').filter({ hasText: 'Completada' }).waitFor({ timeout: 30_000 });
    expect(await result.locator('[data-count="reminders"] dd').textContent()).toBe('1');
    expect(await page.getByRole('alert').count()).toBe(0);
    // The past runs: this one.
    const past = page.getByRole('region', { name: 'Ejecuciones anteriores' });
    await past.getByRole('row').nth(1).filter({ hasText: 'Manual' }).filter({ hasText: 'Completada' }).filter({ hasText: 'recordatorios 1' }).waitFor();
    expect(await past.getByRole('row').count()).toBe(2);
    const [manual] = await runs();
    expect(manual).toMatchObject({ trigger: 'manual', status: 'completed', asOf: today, result: { applied: { remind: 1 } } });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'collections-es');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('in English: a future date is only previewed, the past runs newest first; a helpdesk agent has no link and no page, a global admin has both', async () => {
    const { context, page, problems } = await openPage(stack, 'en');
    await signIn(page, billingAdmin.token);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inbox', 'Customers', 'Collections', 'API tokens']);
    await page.getByRole('link', { name: 'Collections' }).click();
    await page.getByRole('heading', { name: 'Collections', level: 1 }).waitFor();
    const past = page.getByRole('region', { name: 'Past runs' });
    await past.getByRole('row').nth(1).filter({ hasText: 'Manual' }).filter({ hasText: 'Completed' }).waitFor();

    // Yesterday: the reminder went out today, nothing more is due; run anyway, and it comes first in the list.
    const yesterday = await page.evaluate(() => {
      const at = new Date(Date.now() - 86_400_000);
      return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
    });
    await fillDate(page.getByRole('group', { name: 'Run date', exact: true }), yesterday);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('Nothing is due on this date: the run would send nothing and suspend nothing.').waitFor();
    await page.getByRole('button', { name: 'Run as of this date' }).click();
    await page.getByRole('alertdialog').getByText('this sends 0 reminder(s) and 0 final notice(s)').waitFor();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Run as of this date' }).click();
    await page.getByRole('region', { name: /^Run as of / }).getByRole('status').filter({ hasText: 'Completed' }).waitFor({ timeout: 30_000 });
    await past.getByRole('row').nth(2).filter({ hasText: 'reminders 1' }).waitFor();
    const [newest, older] = await runs();
    expect(newest).toMatchObject({ trigger: 'manual', status: 'completed', asOf: yesterday, result: { applied: { remind: 0 } } });
    expect(older.result?.applied.remind).toBe(1);
    expect(await past.getByRole('row').nth(1).textContent()).toContain('reminders 0');

    // Twenty days on, the invoice is 23 days overdue: its final notice would be due.
    const future = isoDay(new Date(start.getTime() + 20 * DAY_MS));
    await fillDate(page.getByRole('group', { name: 'Run date', exact: true }), future);
    await page.getByText('A future date can only be previewed.').waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('row').filter({ hasText: 'FAC-2026-1001' }).getByRole('cell', { name: 'Final notice' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'FAC-2026-1001' }).getByRole('cell', { name: 'step 2 (policy v1)' }).waitFor();
    expect(await page.locator('[data-count="finalNotices"] dd').textContent()).toBe('1');
    expect(await page.getByRole('button', { name: 'Run as of this date' }).isDisabled()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'collections');
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
    // Nothing was written by the preview.
    expect(await runs()).toHaveLength(2);

    const agent = await openPage(stack, 'en');
    await signIn(agent.page, helpdesk.token);
    await agent.page.getByRole('link', { name: 'Unmatched mail' }).waitFor();
    expect(await agent.page.getByRole('link', { name: 'Collections' }).count()).toBe(0);
    await agent.page.goto('/collections');
    await agent.page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    expect(await agent.page.getByRole('heading', { name: 'Collections' }).count()).toBe(0);
    await agent.context.close();
    expect((await stack.api.http.get('/api/v1/dunning/runs').set(bearer(helpdesk.token))).status).toBe(403);

    // A global admin may do what a billing admin may: the link and the page, with the runs.
    const globalAdmin = await openPage(stack, 'en');
    await signIn(globalAdmin.page, stack.api.adminToken);
    await globalAdmin.page.getByRole('link', { name: 'Collections' }).click();
    await globalAdmin.page.getByRole('region', { name: 'Past runs' }).getByRole('row').nth(2).waitFor();
    await globalAdmin.context.close();
  });

  it("starts on the partner's today, not the browser's, and limits a real run to it, in a browser a day apart from the partner", async () => {
    // The partner counts days in UTC; the browser is in a zone where it is already tomorrow (UTC+14 from 10:00 UTC) or still yesterday (UTC−11 before 11:00 UTC).
    const timezoneId = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const { context, page, problems } = await openPage(stack, 'en', { timezoneId });
    const calendar = await stack.api.http.get('/api/v1/collections-policy/calendar').set(bearer(billingAdmin.token));
    expect(calendar.status).toBe(200);
    expect(calendar.body).toEqual({ today: isoDay(new Date()), timezone: 'UTC' });
    const partnerToday = calendar.body.today as string;
    await signIn(page, billingAdmin.token);
    await page.getByRole('link', { name: 'Collections' }).click();
    await page.getByRole('heading', { name: 'Collections', level: 1 }).waitFor();
    expect(await browserToday(page)).not.toBe(partnerToday);

    expect(await page.locator('input[type="date"][name="asOf"]').inputValue()).toBe(partnerToday);
    await page.getByText('Today or an earlier date can be run; any date can be previewed.').waitFor();
    const tomorrow = isoDay(new Date(Date.parse(`${partnerToday}T00:00:00Z`) + DAY_MS));
    await fillDate(page.getByRole('group', { name: 'Run date', exact: true }), tomorrow);
    await page.getByText('A future date can only be previewed.').waitFor();
    await fillDate(page.getByRole('group', { name: 'Run date', exact: true }), partnerToday);
    await page.getByText('Today or an earlier date can be run; any date can be previewed.').waitFor();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: /^Preview as of / }).waitFor();
    expect(await page.getByRole('button', { name: 'Run as of this date' }).isDisabled()).toBe(false);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it("the partner's calendar is for billing staff only", async () => {
    expect((await stack.api.http.get('/api/v1/collections-policy/calendar').set(bearer(helpdesk.token))).status).toBe(403);
  });
});
