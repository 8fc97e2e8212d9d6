/**
 * The customer's side of collections in real Chromium: an invoice 40 days overdue gets its final
 * notice (mailed to the billing contact, in Spanish, saying from which day what is suspended); the
 * notice period later the billing admin's run suspends Azure; the customer's contacts sign in to
 * the portal and read the suspension — status, the suspended product, the overdue invoice with its
 * due date, the notices in their own language — in Spanish and in English, with no serious
 * accessibility violations; the billing admin records the payment and the portal shows the service
 * restored, while the restoration's mail answers the suspension's.
 */
import type { Page } from 'playwright-core';
import { BillingClock } from '@helpdesk/billing';
import { freePort } from '../../../libs/devstack/src/free-port';
import { bearer, createAgent, createCustomer, createPlan, eventually } from '../../../test/support';
import { addContact, MAIL_DOMAIN, ReceivingSmtp } from '../../../test/channels/support';
import { openPage, screenshot, seriousAccessibilityViolations, startConsoleStack, type ConsoleStack, type PageProblems } from './support/console-stack';

jest.setTimeout(240_000);

const DAY_MS = 86_400_000;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

describe('customer portal: a suspension for non-payment and its end (Chromium)', () => {
  let stack: ConsoleStack;
  let receiving: ReceivingSmtp;
  let customerId: string;
  let billingAdmin: string;
  const start = new Date();
  // Due 40 days ago: past the final notice (day 15), not yet suspended (day 30 + the notice period after the final notice).
  const dueOn = isoDay(new Date(start.getTime() - 40 * DAY_MS));

  const as = (token: string) => bearer(token);
  const setClock = (at: Date | null) => {
    stack.api.app.get(BillingClock, { strict: false }).set(at);
    stack.worker.get(BillingClock, { strict: false }).set(at);
  };
  const mailsTo = (email: string) => receiving.received.filter((r) => JSON.stringify(r.mail.to).includes(email));
  const mailWith = (email: string, subject: string) =>
    eventually(
      async () => mailsTo(email).filter((r) => r.mail.subject === subject),
      (m) => m.length >= 1,
      30_000,
      `"${subject}" to ${email}`,
    ).then((m) => m[0].mail);

  async function accessible(page: Page, problems: PageProblems): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  }

  /** Signs a contact in with the link mailed to them, as a person does on the portal's page. */
  async function signInByMail(page: Page, email: string, labels: { email: string; send: string; sent: string; signIn: string }): Promise<void> {
    const before = mailsTo(email).length;
    await page.goto('/portal/');
    await page.getByLabel(labels.email).fill(email);
    await page.getByRole('button', { name: labels.send }).click();
    await page.getByRole('status').filter({ hasText: labels.sent }).waitFor();
    const [mail] = await eventually(async () => mailsTo(email).slice(before), (m) => m.length >= 1, 20_000, `sign-in mail to ${email}`);
    const link = /https?:\/\/[^/\s]+(\/api\/v1\/portal\/sign-in-links\/[A-Za-z0-9_-]{43})/.exec(mail.mail.text ?? '')!;
    await page.goto(link[1]);
    await page.getByRole('button', { name: labels.signIn, exact: true }).click();
    await page.waitForURL('**/portal/');
  }

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    stack = await startConsoleStack({ SMTP_URL: receiving.url, MAIL_DOMAIN });
    billingAdmin = (await createAgent(stack.api, ['billing_admin'])).token;
    const plan = await createPlan(stack.api, { name: 'Oro' });
    customerId = (await createCustomer(stack.api, plan.id, 'Contoso Ibérica')).id;
    await addContact(stack.api, customerId, { name: 'Marta López', email: 'marta@contoso.example', locale: 'es' });
    await addContact(stack.api, customerId, { name: 'John Smith', email: 'john@contoso.example', locale: 'en' });
    const policy = {
      timezone: 'Europe/Madrid',
      steps: [{ action: 'remind', days: 1 }, { action: 'final_notice', days: 15 }, { action: 'suspend', days: 30, products: ['azure'], restoreRequires: 'overdue' }],
      minimumAmounts: [{ currency: 'EUR', amount: '10.00' }],
    };
    expect((await stack.api.http.put('/api/v1/collections-policy').set(as(billingAdmin)).send(policy)).status).toBe(200);
    const account = { currency: 'EUR', paymentTermsDays: 30, contact: { name: 'Marta López', email: 'marta@contoso.example' }, locale: 'es' };
    expect((await stack.api.http.put(`/api/v1/customers/${customerId}/billing-account`).set(as(billingAdmin)).send(account)).status).toBe(201);
    const azure = { product: 'azure', vendorSubscriptionId: '8f0e4b6a-0000-4000-8000-000000000001', tenantId: '8f0e4b6a-0000-4000-8000-0000000000aa', offerName: 'Azure plan', quantity: 1, unitPrice: '250.00' };
    expect((await stack.api.http.post(`/api/v1/customers/${customerId}/subscriptions`).set(as(billingAdmin)).send(azure)).status).toBe(201);
    const invoice = { customerId, issuedOn: isoDay(new Date(start.getTime() - 70 * DAY_MS)), dueOn, currency: 'EUR', lines: [{ description: 'Azure', amount: '250.00' }] };
    expect((await stack.api.http.put('/api/v1/invoices/FAC-2026-0917').set(as(billingAdmin)).send(invoice)).status).toBe(201);
  });
  afterAll(async () => {
    if (stack) setClock(null);
    await stack?.close();
    await receiving?.stop();
  });

  it('warns once with the date of the suspension, suspends after the notice period, shows it in the portal in Spanish and English, and restores after payment', async () => {
    // The late invoice: one final notice at once (the reminder superseded), to the billing contact, in Spanish.
    const finalNotice = await mailWith('marta@contoso.example', 'Último aviso antes de la suspensión');
    // The notice period (30 − 15 days) after today in the policy's calendar, written out as a person reads it.
    const suspendOn = new Intl.DateTimeFormat('es-ES', { dateStyle: 'long', timeZone: 'Europe/Madrid' }).format(new Date(start.getTime() + 15 * DAY_MS));
    expect(finalNotice.text).toContain('de la factura FAC-2026-0917, vencida el ');
    expect(finalNotice.text?.replace(/\s+/g, ' ')).toContain(`a partir del ${suspendOn} suspenderemos el acceso a sus suscripciones de Azure`);
    expect(mailsTo('marta@contoso.example').filter((r) => r.mail.subject === 'Recordatorio de pago')).toEqual([]);

    // A day before the notice period ends, a run suspends nothing; on its last day, it does.
    const run = async (at: Date) => {
      setClock(at);
      const queued = await stack.api.http.post('/api/v1/dunning/runs').set(as(billingAdmin)).send({});
      expect(queued.status).toBe(202);
      return eventually(
        async () => (await stack.api.http.get(`/api/v1/dunning/runs/${queued.body.id}`).set(as(billingAdmin))).body,
        (r) => r.status === 'completed' || r.status === 'failed',
        30_000,
        'dunning run',
      );
    };
    expect((await run(new Date(start.getTime() + 14 * DAY_MS))).result).toMatchObject({ suspensions: 0, deferred: 1 });
    expect((await run(new Date(start.getTime() + 15 * DAY_MS + 3_600_000))).result).toMatchObject({ suspensions: 1, subscriptionsSuspended: 1 });
    const suspended = await mailWith('marta@contoso.example', 'Servicio suspendido por falta de pago');
    expect(suspended.text).toContain('Hemos suspendido el acceso a sus suscripciones de Azure porque sigue pendiente de pago 250,00');
    // The billing admin does it in the vendor's portal and confirms the task.
    const [task] = (await stack.api.http.get('/api/v1/provisioning-actions?mode=manual&status=pending').set(as(billingAdmin))).body.items;
    expect((await stack.api.http.post(`/api/v1/provisioning-actions/${task.id}/confirm`).set(as(billingAdmin)).send({ note: 'Suspendida en el Partner Center' })).status).toBe(200);

    // Marta, in Spanish.
    const es = await openPage(stack, 'es');
    await signInByMail(es.page, 'marta@contoso.example', { email: 'Su correo electrónico', send: 'Enviarme un enlace para entrar', sent: 'le hemos enviado un enlace', signIn: 'Entrar' });
    await es.page.getByRole('link', { name: 'Facturación' }).click();
    await es.page.locator('.billing-state').filter({ hasText: 'Suspendida' }).waitFor();
    await es.page.getByRole('definition').filter({ hasText: /^Azure$/ }).waitFor();
    const row = es.page.getByRole('row', { name: /FAC-2026-0917/ });
    await row.getByText(/^Vencida hace \d+ días$/).waitFor();
    // The due date as a person reads it, not YYYY-MM-DD.
    expect(await row.locator(`time[datetime="${dueOn}"]`).textContent()).not.toBe(dueOn);
    await es.page.getByText('Servicio suspendido por falta de pago').waitFor();
    await es.page.getByText(/Hemos suspendido el acceso a sus suscripciones de Azure porque sigue pendiente de pago 250,00\s€ de la factura FAC-2026-0917/).waitFor();
    await es.page.getByText(/a partir del .* suspenderemos el acceso a sus suscripciones de Azure/).waitFor();
    await accessible(es.page, es.problems);
    await screenshot(es.page, 'portal-suspended-es');

    // John, in English: the same account, the notices written out in English for him.
    const en = await openPage(stack, 'en');
    await signInByMail(en.page, 'john@contoso.example', { email: 'Your e-mail address', send: 'E-mail me a sign-in link', sent: 'a sign-in link is on its way', signIn: 'Sign in' });
    await en.page.getByRole('link', { name: 'Billing' }).click();
    await en.page.locator('.billing-state').filter({ hasText: 'Suspended' }).waitFor();
    await en.page.getByRole('row', { name: /FAC-2026-0917/ }).getByText(/^Overdue by \d+ days$/).waitFor();
    await en.page.getByText('Service suspended for non-payment').waitFor();
    await en.page.getByText(/We have suspended access to your Azure subscriptions because €250\.00 is still overdue on invoice FAC-2026-0917, due on /).waitFor();
    expect(await en.page.getByText('Servicio suspendido por falta de pago').count()).toBe(0);
    await accessible(en.page, en.problems);
    await screenshot(en.page, 'portal-suspended');

    // A locale the API does not speak is refused on its field.
    const refused = await stack.api.http.get(`/api/v1/customers/${customerId}/billing/notices?locale=fr`).set(as(billingAdmin));
    expect([refused.status, refused.headers['content-type'], refused.body.errors?.[0]?.field]).toEqual([400, expect.stringContaining('application/problem+json'), 'locale']);

    // The payment comes in: the suspension ends, the portal shows the service back.
    const paid = await stack.api.http.post('/api/v1/invoices/FAC-2026-0917/payments').set(as(billingAdmin)).send({ amount: '250.00', currency: 'EUR', reference: 'SEPA-0917' });
    expect(paid.status).toBe(201);
    await es.page.reload();
    await es.page.locator('.billing-state').filter({ hasText: 'Al día' }).waitFor();
    await es.page.getByText('Servicio restablecido').waitFor();
    await es.page.getByText(/Restablecido/).first().waitFor();
    expect(await es.page.getByRole('row', { name: /FAC-2026-0917/ }).getByText('Pagada').count()).toBe(1);
    await accessible(es.page, es.problems);
    await screenshot(es.page, 'portal-restored-es');
    await en.page.reload();
    await en.page.locator('.billing-state').filter({ hasText: 'Current' }).waitFor();
    await en.page.getByText('Service restored').waitFor();
    await accessible(en.page, en.problems);

    // The restoration's mail answers the suspension's.
    const restored = await mailWith('marta@contoso.example', 'Servicio restablecido');
    expect(restored.inReplyTo).toBe(suspended.messageId);
    expect(restored.text).toContain('Hemos restablecido el acceso a sus suscripciones de Azure');
    await es.context.close();
    await en.context.close();
  });
});
