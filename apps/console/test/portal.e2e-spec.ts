/**
 * The customer portal in real Chromium (issue #15): a contact signs in with the link mailed to a
 * real SMTP sink, reads the support offering, opens a ticket, follows its public timeline and
 * replies, and sees the billing status; in Spanish and in English, with no serious accessibility
 * violations, a screenshot of each page.
 */
import type { Page } from 'playwright-core';
import { freePort } from '../../../libs/devstack/src/free-port';
import { bearer, createCustomer, createPlan, eventually } from '../../../test/support';
import { addContact, MAIL_DOMAIN, ReceivingSmtp } from '../../../test/channels/support';
import { openPage, screenshot, seriousAccessibilityViolations, signIn, startConsoleStack, type ConsoleStack, type PageProblems } from './support/console-stack';

jest.setTimeout(180_000);

const SCOPE = {
  es: { included: 'Incidencias de Azure y Microsoft 365, dudas de facturación y licencias.', excluded: 'Desarrollo a medida y visitas presenciales.' },
  en: { included: 'Azure and Microsoft 365 incidents, billing and licensing questions.', excluded: 'Custom development and on-site visits.' },
};
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
/** A holiday still to come whenever the test runs. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe('customer portal in Chromium', () => {
  let stack: ConsoleStack;
  let receiving: ReceivingSmtp;
  let customerId: string;
  const admin = () => bearer(stack.api.adminToken);

  /**
   * Asks for a sign-in link on the portal's page and follows the one the mail sink received, as a
   * mail scanner first (a GET that must leave it working), then as the person (its page's button).
   * The link's path, for trying it again.
   */
  async function signInByMail(page: Page, email: string, labels: { email: string; send: string; sent: string; signIn: string }): Promise<string> {
    const before = receiving.received.length;
    await page.goto('/portal/');
    await page.getByLabel(labels.email).fill(email);
    await page.getByRole('button', { name: labels.send }).click();
    await page.getByRole('status').filter({ hasText: labels.sent }).waitFor();
    const [mail] = await eventually(
      async () => receiving.received.slice(before).filter((r) => JSON.stringify(r.mail.to).includes(email)),
      (m) => m.length >= 1,
      20_000,
      `sign-in mail to ${email}`,
    );
    const link = /https?:\/\/[^/\s]+(\/api\/v1\/portal\/sign-in-links\/[A-Za-z0-9_-]{43})/.exec(mail.mail.text ?? '')!;
    const scanned = await page.request.get(link[1], { maxRedirects: 0 });
    expect([scanned.status(), scanned.headers().location]).toEqual([303, expect.stringMatching(/^\/portal\/sign-in-link#[A-Za-z0-9_-]{43}$/)]);
    await page.goto(link[1]);
    await page.getByRole('button', { name: labels.signIn, exact: true }).click();
    await page.waitForURL('**/portal/');
    return link[1];
  }

  async function accessible(page: Page, problems: PageProblems): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  }

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    stack = await startConsoleStack({ SMTP_URL: receiving.url, MAIL_DOMAIN });
    const plan = await createPlan(stack.api, {
      name: 'Oro',
      // One closed day already past (not shown any more) and one to come.
      holidays: ['2020-01-06', `${NEXT_YEAR}-01-06`],
      scope: SCOPE,
      contactPoints: [
        { channel: 'email', address: 'soporte@partner.example', timezone: 'Europe/Madrid', hours: [] },
        { channel: 'phone', address: '+34911234567', timezone: 'Europe/Madrid', hours: weekdays('09:00', '14:00') },
        { channel: 'portal', address: 'https://support.partner.example/portal/', timezone: 'Europe/Madrid', hours: [] },
      ],
      price: { amountMinor: 4990, currency: 'EUR', period: 'month' },
    });
    customerId = (await createCustomer(stack.api, plan.id, 'Contoso')).id;
    await addContact(stack.api, customerId, { name: 'Marta López', email: 'marta@contoso.example', locale: 'es' });
    await addContact(stack.api, customerId, { name: 'John Smith', email: 'john@contoso.example', locale: 'en' });
    const policy = { timezone: 'Europe/Madrid', steps: [{ action: 'remind', days: 1 }, { action: 'final_notice', days: 15 }, { action: 'suspend', days: 30, products: ['azure'], restoreRequires: 'overdue' }], minimumAmounts: [{ currency: 'EUR', amount: '10.00' }] };
    expect((await stack.api.http.put('/api/v1/collections-policy').set(admin()).send(policy)).status).toBe(200);
    const account = { currency: 'EUR', paymentTermsDays: 30, contact: { name: 'Marta López', email: 'marta@contoso.example' }, locale: 'es' };
    expect((await stack.api.http.put(`/api/v1/customers/${customerId}/billing-account`).set(admin()).send(account)).status).toBe(201);
    const invoice = { customerId, issuedOn: '2026-01-01', dueOn: '2026-01-31', currency: 'EUR', lines: [{ description: 'Azure', amount: '250.00' }] };
    expect((await stack.api.http.put('/api/v1/invoices/INV-PORTAL-1').set(admin()).send(invoice)).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.close();
    await receiving?.stop();
  });

  it('en español: entra con el enlace del correo, ve su plan, abre una solicitud, responde y ve su facturación', async () => {
    const { context, page, problems } = await openPage(stack, 'es');
    await page.goto('/portal/');
    await page.getByRole('heading', { name: 'Entrar en el portal de soporte' }).waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-sign-in-es');
    await signInByMail(page, 'marta@contoso.example', { email: 'Su correo electrónico', send: 'Enviarme un enlace para entrar', sent: 'le hemos enviado un enlace', signIn: 'Entrar' });

    // The offering, in the contact's language: scope, contact points with hours, price, targets, policy.
    await page.getByRole('heading', { name: 'Su plan de soporte: Oro' }).waitFor();
    await page.getByText(SCOPE.es.included).waitFor();
    await page.getByRole('link', { name: '+34911234567' }).waitFor();
    await page.getByText(/49,90\s€ al mes/).waitFor();
    await page.getByText(`Cerrado además los días: 6 de enero de ${NEXT_YEAR}`, { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Política de cobros' }).waitFor();
    await page.getByText(/recordatorio/i).first().waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-offering-es');

    // Open a ticket: the requester is the signed-in contact.
    await page.getByRole('link', { name: 'Abrir una solicitud' }).first().click();
    await page.getByLabel('Asunto').fill('No puedo entrar en Outlook');
    await page.getByLabel('¿Qué ha pasado?').fill('Desde esta mañana nadie de contabilidad puede abrir Outlook.');
    await accessible(page, problems);
    await page.getByRole('button', { name: 'Abrir la solicitud' }).click();
    await page.getByRole('heading', { name: /No puedo entrar en Outlook/ }).waitFor();
    const ticketId = page.url().split('/').pop()!;
    const filed = (await stack.api.http.get(`/api/v1/tickets/${ticketId}`).set(admin())).body;
    expect(filed).toMatchObject({ channel: 'portal', requester: { name: 'Marta López', email: 'marta@contoso.example' } });

    // Support answers publicly (and notes something internal); the customer sees only the public answer, and replies.
    await stack.api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(admin()).send({ body: 'Pruebe a borrar las credenciales guardadas.', visibility: 'public' }).expect(201);
    await stack.api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(admin()).send({ body: 'Nota interna: revisar MFA', visibility: 'internal' }).expect(201);
    await page.reload();
    await page.getByText('Pruebe a borrar las credenciales guardadas.').waitFor();
    expect(await page.getByText('Nota interna').count()).toBe(0);
    await page.getByLabel('Su mensaje').fill('Ya funciona, gracias.');
    await page.getByRole('button', { name: 'Enviar respuesta' }).click();
    await page.locator('.timeline').getByText('Ya funciona, gracias.').waitFor();
    const comments = (await stack.api.http.get(`/api/v1/tickets/${ticketId}/comments`).set(admin())).body as Array<{ body: string; visibility: string; author: { kind: string } }>;
    expect(comments.find((c) => c.body === 'Ya funciona, gracias.')).toMatchObject({ visibility: 'public', author: { kind: 'customer' } });
    await accessible(page, problems);
    await screenshot(page, 'portal-ticket-es');

    // Billing: overdue, the invoice, in Spanish.
    await page.getByRole('link', { name: 'Facturación' }).click();
    await page.getByRole('heading', { name: 'Estado de la cuenta' }).waitFor();
    await page.locator('.billing-state').filter({ hasText: /vencid/i }).waitFor();
    await page.getByRole('rowheader', { name: 'INV-PORTAL-1' }).waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-billing-es');

    // The staff console does not open for a customer's session: it shows the staff sign-in.
    await page.goto('/');
    await page.getByRole('heading', { name: /consola/i }).waitFor();
    expect(await page.locator('#inbox-title').count()).toBe(0);
    await context.close();
  });

  it('in English: a contact signs in by mail, sees the offering and their company’s tickets and billing, and switches language', async () => {
    const { context, page, problems } = await openPage(stack, 'en');
    // A link that does not work says so once the person presses "Sign in".
    await page.goto('/api/v1/portal/sign-in-links/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.getByRole('heading', { name: 'Sign in to the support portal' }).waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-link-sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'does not work any more' }).waitFor();
    await screenshot(page, 'portal-sign-in');
    const link = await signInByMail(page, 'john@contoso.example', { email: 'Your e-mail address', send: 'E-mail me a sign-in link', sent: 'a sign-in link is on its way', signIn: 'Sign in' });
    // The token is not left in the address bar.
    expect(page.url()).not.toContain(link.split('/').pop()!);

    await page.getByRole('heading', { name: 'Your support plan: Oro' }).waitFor();
    await page.getByText(SCOPE.en.excluded).waitFor();
    await page.getByText('€49.90 per month').waitFor();
    await page.getByText(`Also closed on: January 6, ${NEXT_YEAR}`, { exact: true }).waitFor();
    await page.getByRole('row', { name: /Phone/ }).getByText('09:00–14:00').first().waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-offering');

    await page.getByRole('link', { name: 'My tickets' }).click();
    await page.getByRole('link', { name: 'No puedo entrar en Outlook' }).waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-tickets');

    await page.getByRole('link', { name: 'Open a ticket' }).first().click();
    await page.getByLabel('Subject').fill('Teams calls drop');
    await page.getByLabel('What happened?').fill('Calls drop every ten minutes.');
    await screenshot(page, 'portal-new-ticket');
    await page.getByRole('button', { name: 'Open the ticket' }).click();
    await page.getByRole('heading', { name: /Teams calls drop/ }).waitFor();

    await page.getByRole('link', { name: 'Billing' }).click();
    await page.locator('.billing-state').filter({ hasText: /overdue/i }).waitFor();
    await page.getByRole('rowheader', { name: 'INV-PORTAL-1' }).waitFor();
    await accessible(page, problems);
    await screenshot(page, 'portal-billing');

    // Español at the press of a button.
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Facturación' }).waitFor();

    // The same link again, in another browser: it signs nobody in and says so.
    const other = await openPage(stack, 'en');
    await other.page.goto(link);
    await other.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await other.page.getByRole('alert').filter({ hasText: 'This sign-in link does not work any more' }).waitFor();
    expect((await other.page.request.get('/api/v1/portal/session')).status()).toBe(401);
    await other.context.close();
    await context.close();
  });

  it('shows staff, in the ticket header and its timeline, a ticket that came by a channel the plan does not include', async () => {
    const mailOnly = await createPlan(stack.api, { name: 'Solo correo', contactMethods: ['email'] });
    const fabrikam = await createCustomer(stack.api, mailOnly.id, 'Fabrikam');
    const byPhone = await stack.api.http.post('/api/v1/tickets').set(admin()).send({ customerId: fabrikam.id, subject: 'Llamada: el portal no carga', description: 'Llamó por teléfono.', channel: 'phone', requester: { name: 'Luis', email: 'luis@fabrikam.example' } });
    expect(byPhone.body.channelNotInPlan).toBe(true);
    for (const [language, message, event] of [
      ['en', 'Arrived by Phone, which the customer’s plan (Solo correo) does not include', 'Arrived by Phone, a channel the plan does not include'],
      ['es', 'Llegó por Teléfono, un canal que el plan del cliente (Solo correo) no incluye', 'Llegó por Teléfono, un canal que el plan no incluye'],
    ] as const) {
      const { context, page, problems } = await openPage(stack, language);
      await signIn(page, stack.api.adminToken);
      await page.goto(`/tickets/${byPhone.body.id}`);
      await page.getByRole('note').filter({ hasText: message }).waitFor();
      await page.getByText(event).waitFor();
      await accessible(page, problems);
      if (language === 'en') await screenshot(page, 'ticket-channel-flag');
      await context.close();
    }
  });
});
