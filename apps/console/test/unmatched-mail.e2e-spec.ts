import { freePort } from '../../../libs/devstack/src/free-port';
import { bearer, createAgent, createCustomer, createPlan, eventually } from '../../../test/support';
import { MAIL_DOMAIN, messageId, rawMail, sendSmtp } from '../../../test/channels/support';
import { openPage, screenshot, seriousAccessibilityViolations, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(240_000);

/**
 * Mail from an unknown sender waits for an agent (issue #15: "never dropped"); the console lists it,
 * says why in the reader's language and files it as a ticket of the customer the agent picks.
 */
describe('console: unmatched mail', () => {
  let stack: ConsoleStack;
  let smtpPort: number;
  let helpdesk: { id: string; token: string };
  let sales: { id: string; token: string };
  let fabrikam: { id: string };

  const unmatched = async (mid: string) =>
    (await stack.api.dataSource.query(`SELECT id, status, ticket_id FROM inbound_messages WHERE message_id = $1`, [mid])) as Array<{ id: string; status: string; ticket_id: string | null }>;
  const messageIdOf = async (id: string) => ((await stack.api.dataSource.query(`SELECT message_id FROM inbound_messages WHERE id = $1`, [id])) as Array<{ message_id: string }>)[0].message_id;
  const sendUnknown = async (subject: string) => {
    const mid = messageId('unmatched');
    const reply = await sendSmtp(smtpPort, rawMail({ From: 'Pedro Ruiz <pedro@desconocido.example>', To: `support@${MAIL_DOMAIN}`, Subject: subject, 'Message-ID': mid }, 'Hola, la VPN no conecta desde ayer.'));
    expect(reply).toMatch(/^250 /);
    const [row] = await eventually(() => unmatched(mid), (rows) => rows.length === 1 && rows[0].status === 'unmatched', 20_000, `unmatched ${mid}`);
    return row;
  };

  beforeAll(async () => {
    smtpPort = await freePort();
    stack = await startConsoleStack({ INBOUND_SMTP_PORT: String(smtpPort), MAIL_DOMAIN }, { MAIL_DOMAIN });
    const plan = await createPlan(stack.api);
    await createCustomer(stack.api, plan.id, 'Contoso');
    fabrikam = await createCustomer(stack.api, plan.id, 'Fabrikam');
    helpdesk = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Ana García' });
    sales = await createAgent(stack.api, ['sales_agent'], { name: 'Luis Sales' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists an unknown sender’s mail in Spanish and files it as a ticket of the chosen customer, then opens it', async () => {
    const row = await sendUnknown('VPN sin conexión');
    const { context, page, problems } = await openPage(stack, 'es');
    await signIn(page, helpdesk.token);
    await page.getByRole('link', { name: 'Correo sin asignar' }).click();
    await page.getByRole('heading', { name: 'Correo sin asignar' }).waitFor();
    const line = page.getByRole('row').filter({ hasText: 'VPN sin conexión' });
    await line.getByText('pedro@desconocido.example', { exact: true }).waitFor();
    await line.getByText('Ningún contacto ni dominio de cliente coincide con pedro@desconocido.example').waitFor();
    const file = line.getByRole('button', { name: 'Crear solicitud' });
    expect(await file.isDisabled()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'unmatched-mail-es');

    await line.getByLabel('Cliente para «VPN sin conexión»').selectOption({ label: 'Fabrikam' });
    await file.click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    const ticketId = page.url().split('/').pop()!;
    await page.getByText('VPN sin conexión').first().waitFor();

    const ticket = (await stack.api.http.get(`/api/v1/tickets/${ticketId}`).set(bearer(stack.api.adminToken))).body;
    expect(ticket).toMatchObject({ customerId: fabrikam.id, channel: 'email', subject: 'VPN sin conexión' });
    expect((await unmatched(await messageIdOf(row.id)))[0]).toMatchObject({ status: 'ticket', ticket_id: ticketId });
    // Filed once: the list no longer offers it.
    await page.goto('/mail');
    await page.getByRole('heading', { name: 'Correo sin asignar' }).waitFor();
    await page.getByText('No hay correo sin asignar.').waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('says it in English, and a role that cannot file mail has no link and gets the API’s 403', async () => {
    await sendUnknown('VPN down since yesterday');
    const { context, page } = await openPage(stack, 'en');
    await signIn(page, helpdesk.token);
    await page.goto('/mail');
    const line = page.getByRole('row').filter({ hasText: 'VPN down since yesterday' });
    await line.getByText('No customer contact or domain matches pedro@desconocido.example').waitFor();
    await line.getByRole('button', { name: 'Make it a ticket' }).waitFor();
    await context.close();

    const salesPage = await openPage(stack, 'en');
    await signIn(salesPage.page, sales.token);
    await salesPage.page.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await salesPage.page.getByRole('link', { name: 'Unmatched mail' }).count()).toBe(0);
    await salesPage.context.close();
    expect((await stack.api.http.get('/api/v1/inbound-email').set(bearer(sales.token))).status).toBe(403);
  });
});
