import { freePort } from '../../../libs/devstack/src/free-port';
import { bearer, createAgent, createCustomer, createPlan, eventually } from '../../../test/support';
import { addContact, MAIL_DOMAIN, messageId, rawMail, ReceivingSmtp, sendSmtp } from '../../../test/channels/support';
import { dateText, fillDateTime, openPage, screenshot, seriousAccessibilityViolations, signIn, startConsoleStack, type ConsoleStack } from './support/console-stack';

jest.setTimeout(240_000);

/**
 * Outgoing mail (issue #15): an admin sees the mail that failed while the receiving SMTP server was
 * down, failed first, with why, and sends it again once the server is back; the row follows it to
 * "sent". In Spanish and English; only admins get the page.
 */
describe('console: outgoing mail', () => {
  let stack: ConsoleStack;
  let receiving: ReceivingSmtp;
  let smtpPort: number;
  let admin: { id: string; token: string };
  let helpdesk: { id: string; token: string };

  const rowOf = async (mid: string) => ((await stack.api.dataSource.query(`SELECT status FROM outbound_messages WHERE message_id = $1`, [mid])) as Array<{ status: string }>)[0];

  /** A request mailed in by a contact (its acknowledgement sent), then a public reply while the receiving server is down: failed. */
  const failedReply = async (subject: string, reply: string): Promise<{ ticketId: string; replyId: string; ackId: string }> => {
    const mid = messageId('in');
    expect(await sendSmtp(smtpPort, rawMail({ From: 'Marta López <marta@northwind-out.example>', To: `support@${MAIL_DOMAIN}`, Subject: subject, 'Message-ID': mid }, 'Ayuda.'))).toMatch(/^250 /);
    const [inbound] = await eventually(
      async () => (await stack.api.dataSource.query(`SELECT status, ticket_id FROM inbound_messages WHERE message_id = $1`, [mid])) as Array<{ status: string; ticket_id: string }>,
      (rows) => rows[0]?.status === 'ticket',
      20_000,
      'ticket from mail',
    );
    const ackId = `<hd.${inbound.ticket_id}.received@${MAIL_DOMAIN}>`;
    await eventually(async () => rowOf(ackId), (r) => r?.status === 'sent', 20_000, 'acknowledgement sent');
    await receiving.stop();
    const comment = await stack.api.http.post(`/api/v1/tickets/${inbound.ticket_id}/comments`).set(bearer(stack.api.adminToken)).send({ body: reply, visibility: 'public' });
    expect(comment.status).toBe(201);
    const replyId = `<hd.${inbound.ticket_id}.comment-${comment.body.id}@${MAIL_DOMAIN}>`;
    await eventually(async () => rowOf(replyId), (r) => r?.status === 'failed', 30_000, 'reply failed');
    return { ticketId: inbound.ticket_id, replyId, ackId };
  };

  beforeAll(async () => {
    smtpPort = await freePort();
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    const env = { SMTP_URL: receiving.url, MAIL_DOMAIN, MAIL_FROM: `Soporte <support@${MAIL_DOMAIN}>`, NOTIFICATION_ATTEMPTS: '1' };
    stack = await startConsoleStack({ ...env, INBOUND_SMTP_PORT: String(smtpPort) }, env);
    const customer = await createCustomer(stack.api, (await createPlan(stack.api)).id, 'Northwind Out');
    await addContact(stack.api, customer.id, { name: 'Marta López', email: 'marta@northwind-out.example', locale: 'es' });
    admin = await createAgent(stack.api, ['admin_agent'], { name: 'Elena Admin' });
    helpdesk = await createAgent(stack.api, ['helpdesk_agent'], { name: 'Ana García' });
  });
  afterAll(async () => {
    await stack?.close();
    await receiving?.stop();
  });

  it('shows the failed mail first, in Spanish, and sends it again after a confirmation once the server is back', async () => {
    const { replyId, ackId } = await failedReply('Impresora atascada', 'Hemos pedido un técnico.');
    // The console's Spanish, in a browser set to US English.
    const { context, page, problems } = await openPage(stack, 'es', { locale: 'en-US' });
    await signIn(page, admin.token);
    await page.getByRole('link', { name: 'Correo saliente' }).click();
    await page.getByRole('heading', { name: 'Correo saliente' }).waitFor();
    expect(await page.getByLabel('Estado').inputValue()).toBe('failed');
    const row = page.getByRole('row').filter({ hasText: 'Impresora atascada' });
    await row.getByText('Fallido').waitFor();
    await row.getByText('marta@northwind-out.example').waitFor();
    await row.getByText(/ECONNREFUSED|connect/).waitFor();
    // Failed first: the acknowledgement that was sent is not in this list.
    expect(await page.getByRole('row').count()).toBe(2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'outgoing-mail-es');

    // The date-and-time filters follow the console's language, not the browser's: day/month/year and a 24-hour clock, said in Spanish.
    const since = page.getByRole('group', { name: 'Creado desde', exact: true });
    const until = page.getByRole('group', { name: 'Creado hasta', exact: true });
    expect(await dateText(since)).toBe('dd/mm/aaaa');
    expect(await since.getByRole('spinbutton').evaluateAll((parts) => parts.map((part) => part.getAttribute('data-type')))).toEqual(['day', 'month', 'year', 'hour', 'minute']);
    const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    // Until an hour ago: the mail failed since is not listed; until tomorrow, it is.
    await fillDateTime(until, local(Date.now() - 3_600_000));
    await row.waitFor({ state: 'detached' });
    await fillDateTime(until, local(Date.now() + 86_400_000));
    await row.getByText('Fallido').waitFor();
    // A start after the end: the API's refusal (rangeOrder) is said on the field, in Spanish.
    await fillDateTime(since, local(Date.now() + 2 * 86_400_000));
    await page.getByRole('search').getByText('«Creado hasta» debe ser posterior al inicio del intervalo', { exact: true }).waitFor();
    await fillDateTime(since, local(Date.now() - 86_400_000));
    await row.getByText('Fallido').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'outgoing-mail-es-dates');

    await receiving.start();
    await row.getByRole('button', { name: /^Enviar de nuevo/ }).click();
    const dialog = page.getByRole('alertdialog', { name: '¿Enviar de nuevo este correo?' });
    await dialog.getByText('con el mismo Message-ID').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Enviar de nuevo' }).click();
    // The row follows the mail until it is sent.
    await row.getByRole('status').filter({ hasText: 'Enviado' }).waitFor({ timeout: 30_000 });
    await row.getByText('reenvíos: 1').waitFor();
    expect(await row.getByRole('button', { name: /^Enviar de nuevo/ }).count()).toBe(0);
    await eventually(async () => receiving.byMessageId(replyId), (m) => m.length === 1, 20_000, 'resent');
    expect(receiving.byMessageId(ackId)).toHaveLength(1);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
  });

  it('says it in English, filters by state and recipient; a helpdesk agent has no link and no page', async () => {
    await failedReply('Printer jammed again', 'A technician is on the way.');
    const { context, page, problems } = await openPage(stack, 'en');
    await signIn(page, admin.token);
    await page.getByRole('link', { name: 'Outgoing mail' }).click();
    await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
    const failed = page.getByRole('row').filter({ hasText: 'Printer jammed again' });
    await failed.getByText('Failed').waitFor();
    await failed.getByRole('button', { name: /^Send again/ }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'outgoing-mail');

    await page.getByLabel('State').selectOption('sent');
    await page.getByText('Request received').first().waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Failed' }).count()).toBe(0);
    await page.getByLabel('Recipient').fill('nobody@');
    await page.getByText('No mail matches these filters.').waitFor();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await context.close();
    await receiving.start();

    const agent = await openPage(stack, 'en');
    await signIn(agent.page, helpdesk.token);
    await agent.page.getByRole('link', { name: 'Unmatched mail' }).waitFor();
    expect(await agent.page.getByRole('link', { name: 'Outgoing mail' }).count()).toBe(0);
    await agent.page.goto('/outgoing-mail');
    await agent.page.getByRole('heading', { name: 'Outgoing mail' }).or(agent.page.locator('h1')).first().waitFor();
    expect(await agent.page.getByRole('heading', { name: 'Outgoing mail' }).count()).toBe(0);
    await agent.context.close();
    expect((await stack.api.http.get('/api/v1/outbound-messages').set(bearer(helpdesk.token))).status).toBe(403);
  });
});
