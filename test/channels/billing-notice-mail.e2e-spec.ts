/**
 * Billing's dunning notices go out by e-mail (issues #13 and #15): a dunning run's reminder or
 * final notice reaches the account's billing contact through a real SMTP server, in the account's
 * language, once — also when the run is repeated — and marked auto-generated. An invoice past both
 * gets only the final notice (the reminder is superseded: one warning, not a pile of them).
 */
import { BillingNoticeMail } from '../../libs/channels/src/outbound/billing-notice-mail.service';
import { freePort } from '../../libs/devstack/src/free-port';
import { eventually } from '../support';
import { billedCustomer, BillingStack, caller, expectStatus, POLICY, putInvoice, runDunning, startBilling } from '../billing/support';
import { MAIL_DOMAIN, ReceivingSmtp } from './support';

describe('e-mail out: dunning notices to the billing contact', () => {
  let stack: BillingStack;
  let receiving: ReceivingSmtp;

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    const mail = { MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Cobros <billing@${MAIL_DOMAIN}>` };
    stack = await startBilling({ apiEnv: mail, workerEnv: mail });
    stack.setClock('2026-12-01T12:00:00Z');
    await expectStatus(caller(stack)('put', '/collections-policy', POLICY), 200);
  });
  afterAll(async () => {
    await stack?.close();
    await receiving?.stop();
  });

  const mailsTo = (address: string) => receiving.received.filter((r) => r.mail.to && !Array.isArray(r.mail.to) && r.mail.to.value.some((v) => v.address === address));
  const noticeMails = async (customerId: string) =>
    (await stack.api.dataSource.query(
      `SELECT o.* FROM outbound_messages o WHERE o.kind = 'billing_notice' AND o.event_key LIKE 'notice:%'
          AND split_part(o.event_key, ':', 2)::uuid IN (SELECT id FROM billing_notices WHERE customer_id = $1) ORDER BY o.created_at`,
      [customerId],
    )) as Array<Record<string, unknown>>;

  it('mails the latest warning due once, in the account’s language, and nothing more when the run is repeated', async () => {
    const spanish = await billedCustomer(stack, { contact: { name: 'Laura Gómez', email: 'facturas@iberica.example' }, locale: 'es' });
    const english = await billedCustomer(stack, { contact: { name: 'Tom Baker', email: 'ap@northwind.example' }, locale: 'en' });
    await putInvoice(stack, spanish.id, '2026-11-10', '250.00', 'FAC-2026-1110');
    await putInvoice(stack, english.id, '2026-11-28', '80.00', 'INV-2026-1128');

    // As of Dec 1: Laura's invoice is 21 days overdue (past the reminder and the final notice: only the final notice goes), Tom's 3 (a reminder).
    const run = await runDunning(stack);
    expect(run.status).toBe('completed');
    const laura = await eventually(async () => mailsTo('facturas@iberica.example'), (m) => m.length === 1, 30_000, 'one mail to Laura');
    expect(laura.map((m) => m.mail.subject)).toEqual(['Último aviso antes de la suspensión']);
    const final = laura[0];
    expect(final.mail.text).toContain('Hola, Laura Gómez:');
    expect(final.mail.text).toContain('250,00');
    expect(final.mail.text).toContain('FAC-2026-1110');
    expect(final.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(final.mail.from).toMatchObject({ value: [{ address: `billing@${MAIL_DOMAIN}` }] });
    expect(final.mail.messageId).toMatch(new RegExp(`^<hd\\.notice\\.[0-9a-f-]{36}@${MAIL_DOMAIN.replace('.', '\\.')}>$`));

    const [tom] = await eventually(async () => mailsTo('ap@northwind.example'), (m) => m.length === 1, 30_000, 'a reminder to Tom');
    expect(tom.mail.subject).toBe('Payment reminder');
    expect(tom.mail.text).toContain('Hello Tom Baker,');
    expect(tom.mail.text).toContain('INV-2026-1128');
    await eventually(() => noticeMails(spanish.id), (rows) => rows.length === 1 && rows.every((r) => r.status === 'sent' && r.ticket_id === null), 20_000, 'marked sent');

    // The same day again: no step is due twice, so no notice and no mail.
    const again = await runDunning(stack);
    expect(again.result.applied).toEqual({ remind: 0, final_notice: 0, suspend: 0 });
    // A notice job handed over twice (a relay retry) stores nothing new either.
    const ids = (await stack.api.dataSource.query(`SELECT id FROM billing_notices WHERE customer_id = $1`, [spanish.id])).map((r: { id: string }) => r.id);
    expect(await stack.workers[0].get(BillingNoticeMail, { strict: false }).store(ids)).toBe(0);
    expect(await noticeMails(spanish.id)).toHaveLength(1);
    expect(mailsTo('facturas@iberica.example')).toHaveLength(1);
    expect(mailsTo('ap@northwind.example')).toHaveLength(1);
  });
});
