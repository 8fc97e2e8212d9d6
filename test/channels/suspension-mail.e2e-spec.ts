/**
 * Collections never suspend without warning, and tell the customer when they suspend and when they
 * restore (issue #15): an invoice imported already 52 days overdue gets one warning (the final
 * notice; the reminder is superseded) and no suspension that day; the suspension comes the policy's
 * notice period (30 − 15 = 15 days) after the final notice actually went out, with its mail; the
 * payment restores it, with its mail answering the suspension's. Spanish and English, an edited
 * template, each mail once however often dunning runs, a run as of a chosen day deciding as that
 * day would, and the customer reading the notices in its portal. Real SMTP sink, real PostgreSQL.
 */
import { Job } from 'bullmq';
import { deadlineJobId } from '@helpdesk/billing';
import { QueueName } from '@helpdesk/queue';
import { BillingNoticeMail } from '../../libs/channels/src/outbound/billing-notice-mail.service';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createAgent, eventually } from '../support';
import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, POLICY, putInvoice, queueOf, runDunning, settled, startBilling } from '../billing/support';
import { MAIL_DOMAIN, ReceivingSmtp } from './support';

describe('e-mail out: warned before a suspension, told of the suspension and of its end', () => {
  let stack: BillingStack;
  let receiving: ReceivingSmtp;
  let call: Call;

  beforeAll(async () => {
    receiving = new ReceivingSmtp(await freePort());
    await receiving.start();
    const mail = { MAIL_DOMAIN, SMTP_URL: receiving.url, MAIL_FROM: `Cobros <billing@${MAIL_DOMAIN}>` };
    stack = await startBilling({ apiEnv: mail, workerEnv: mail });
    call = caller(stack);
    stack.setClock('2026-12-01T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await receiving?.stop();
  });

  const mailsTo = (address: string) => receiving.received.filter((r) => r.mail.to && !Array.isArray(r.mail.to) && r.mail.to.value.some((v) => v.address === address));
  const steps = async (customerId: string) =>
    (await stack.api.dataSource.query(
      `SELECT action, outcome, applied_on::text AS applied_on FROM dunning_actions WHERE customer_id = $1 ORDER BY policy_version, step`,
      [customerId],
    )) as Array<{ action: string; outcome: string; applied_on: string }>;
  const suspended = async (customerId: string) =>
    (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM billing_suspensions WHERE customer_id = $1`, [customerId]))[0].n as number;
  const pay = (number: string, amount: string, reference: string) => call('post', `/invoices/${number}/payments`, { amount, currency: 'EUR', paidOn: '2026-12-18', reference });

  it('a late invoice: one warning, no suspension before the notice period, then the suspension and its end, each mailed once in the customer’s language', async () => {
    const admin = await createAgent(stack.api, ['admin_agent']);
    // An admin rewords the English suspension mail (a bad placeholder is refused, naming the field).
    const template = (body: object) => stack.api.http.put('/api/v1/notification-templates/suspension_notice/en').set(bearer(admin.token)).send(body);
    const refused = await template({ subject: 'Suspended', body: 'Ticket {{ticket.number}}' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    expect((await template({ subject: 'Access suspended: {{notice.subject}}', body: 'Dear {{recipient.name}},\n\n{{notice.body}}\n\nNorthwind Billing\n' })).status).toBe(200);

    const tom = await billedCustomer(stack, { contact: { name: 'Tom Baker', email: 'ap@late-en.example' }, locale: 'en' });
    const laura = await billedCustomer(stack, { contact: { name: 'Laura Gómez', email: 'facturas@late-es.example' }, locale: 'es' });
    // Neither customer has a contact of its own (customer_contacts): the account's billing contact is the recipient.
    expect((await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM customer_contacts WHERE customer_id = ANY($1::uuid[])`, [[tom.id, laura.id]]))[0].n).toBe(0);
    for (const c of [tom, laura]) {
      await addSubscription(stack, c.id, 'azure');
      await addSubscription(stack, c.id, 'dynamics_365');
    }
    // Imported on Dec 1, due Oct 10: 52 days overdue, past the reminder (day 1), the final notice (15) and the suspension (30).
    await putInvoice(stack, tom.id, '2026-10-10', '250.00', 'INV-LATE-EN');
    await putInvoice(stack, laura.id, '2026-10-10', '180.00', 'FAC-LATE-ES');
    await settled(stack);

    // The invoice's deadline check warned once — the final notice; the reminder is recorded as superseded — and suspended nothing.
    for (const c of [tom, laura]) {
      expect(await steps(c.id)).toEqual([
        { action: 'remind', outcome: 'superseded', applied_on: '2026-12-01' },
        { action: 'final_notice', outcome: 'applied', applied_on: '2026-12-01' },
      ]);
      expect(await suspended(c.id)).toBe(0);
    }
    const [tomFinal] = await eventually(async () => mailsTo('ap@late-en.example'), (m) => m.length === 1, 30_000, 'the final notice to Tom');
    expect(tomFinal.mail.subject).toBe('Final notice before suspension');
    // It says when the invoice fell due, and from which day (the notice period after it) it suspends what.
    expect(tomFinal.mail.text?.replace(/\s+/g, ' ')).toContain(
      '€250.00 is still overdue on invoice INV-LATE-EN, due on October 10, 2026. Unless we receive payment, we will suspend access to your Azure subscriptions from December 16, 2026,',
    );
    const [lauraFinal] = await eventually(async () => mailsTo('facturas@late-es.example'), (m) => m.length === 1, 30_000, 'the final notice to Laura');
    expect(lauraFinal.mail.subject).toBe('Último aviso antes de la suspensión');
    expect(lauraFinal.mail.text?.replace(/\s+/g, ' ')).toContain('de la factura FAC-LATE-ES, vencida el 10 de octubre de 2026. Si no recibimos el pago, a partir del 16 de diciembre de 2026 suspenderemos el acceso a sus suscripciones de Azure');
    // Its next deadline is the end of the notice period: 00:00 on Dec 16 in Madrid.
    const deadline = await Job.fromId(queueOf(stack, QueueName.BillingDeadlines), deadlineJobId(tom.id, new Date('2026-12-15T23:00:00Z')));
    expect(deadline).toBeDefined();

    // The billing admin sees it on the invoice.
    const invoice = await expectStatus(call('get', '/invoices/INV-LATE-EN'), 200);
    expect(invoice.dunning.map((d: { action: string; outcome: string; appliedOn: string }) => [d.action, d.outcome, d.appliedOn])).toEqual([
      ['remind', 'superseded', '2026-12-01'],
      ['final_notice', 'applied', '2026-12-01'],
    ]);

    // Running again that day, and on any day before the notice period ends: nothing sent, nothing suspended.
    for (const at of ['2026-12-01T18:00:00Z', '2026-12-05T12:00:00Z', '2026-12-10T12:00:00Z', '2026-12-15T22:59:59Z']) {
      stack.setClock(at);
      const run = await runDunning(stack);
      expect([at, run.status, run.result.applied, run.result.deferred]).toEqual([at, 'completed', { remind: 0, final_notice: 0, suspend: 0 }, 2]);
    }
    expect(await suspended(tom.id)).toBe(0);

    // 00:00 on Dec 16 in Madrid: 15 days after the final notice actually sent. Twice: once.
    stack.setClock('2026-12-15T23:00:00Z');
    const run = await runDunning(stack);
    expect(run.result).toMatchObject({ applied: { remind: 0, final_notice: 0, suspend: 2 }, suspensions: 2, subscriptionsSuspended: 2, notices: 0, deferred: 0 });
    const again = await runDunning(stack);
    expect(again.result.applied).toEqual({ remind: 0, final_notice: 0, suspend: 0 });
    expect(await suspended(tom.id)).toBe(1);

    const tomMails = await eventually(async () => mailsTo('ap@late-en.example'), (m) => m.length === 2, 30_000, 'the suspension mail to Tom');
    const tomSuspension = tomMails[1].mail;
    expect(tomSuspension.subject).toBe('Access suspended: Service suspended for non-payment');
    expect(tomSuspension.text).toContain('Dear Tom Baker,');
    expect(tomSuspension.text).toContain('We have suspended access to your Azure subscriptions because €250.00 is still overdue on invoice INV-LATE-EN, due on October 10, 2026.');
    expect(tomSuspension.text).toContain('Northwind Billing');
    expect(tomSuspension.headers.get('auto-submitted')).toBe('auto-generated');
    expect(tomSuspension.messageId).toMatch(new RegExp(`^<hd\\.notice\\.[0-9a-f-]{36}@${MAIL_DOMAIN.replace('.', '\\.')}>$`));
    const lauraMails = await eventually(async () => mailsTo('facturas@late-es.example'), (m) => m.length === 2, 30_000, 'the suspension mail to Laura');
    const lauraSuspension = lauraMails[1].mail;
    expect(lauraSuspension.subject).toBe('Servicio suspendido por falta de pago');
    expect(lauraSuspension.text).toContain('Hola, Laura Gómez:');
    expect(lauraSuspension.text).toMatch(/Hemos suspendido el acceso a sus suscripciones de Azure porque sigue pendiente de pago 180,00\s€ de la factura FAC-LATE-ES, vencida el 10 de octubre de 2026\./);

    // The suspension notice was written with the suspension: same instant, naming it.
    const [link] = await stack.api.dataSource.query(
      `SELECT n.suspension_id, s.id, n.created_at = s.created_at AS same_instant FROM billing_notices n JOIN billing_suspensions s ON s.id = n.suspension_id WHERE n.customer_id = $1 AND n.kind = 'suspension'`,
      [tom.id],
    );
    expect(link).toMatchObject({ same_instant: true });

    // Paid: the suspension ends, and the customer hears it, in the suspension mail's thread.
    stack.setClock('2026-12-18T10:00:00Z');
    await expectStatus(pay('INV-LATE-EN', '250.00', 'TRX-EN-1'), 201);
    await expectStatus(pay('FAC-LATE-ES', '180.00', 'TRX-ES-1'), 201);
    await settled(stack);
    const tomAll = await eventually(async () => mailsTo('ap@late-en.example'), (m) => m.length === 3, 30_000, 'the restoration mail to Tom');
    const tomRestored = tomAll[2].mail;
    expect(tomRestored.subject).toBe('Service restored');
    expect(tomRestored.text).toContain('We have restored access to your Azure subscriptions, which we suspended for non-payment of invoice INV-LATE-EN.');
    expect(tomRestored.inReplyTo).toBe(tomSuspension.messageId);
    expect(tomRestored.references).toEqual(tomSuspension.messageId);
    const lauraAll = await eventually(async () => mailsTo('facturas@late-es.example'), (m) => m.length === 3, 30_000, 'the restoration mail to Laura');
    expect(lauraAll[2].mail.subject).toBe('Servicio restablecido');
    expect(lauraAll[2].mail.text).toContain('Hemos restablecido el acceso a sus suscripciones de Azure, que suspendimos por falta de pago de la factura FAC-LATE-ES.');

    // The same payment again, more runs, and the notice job handed over again: nothing more.
    await expectStatus(pay('INV-LATE-EN', '250.00', 'TRX-EN-1'), 200);
    await runDunning(stack);
    const ids = (await stack.api.dataSource.query(`SELECT id FROM billing_notices WHERE customer_id = ANY($1::uuid[])`, [[tom.id, laura.id]])).map((r: { id: string }) => r.id);
    expect(ids).toHaveLength(6);
    expect(await stack.workers[0].get(BillingNoticeMail, { strict: false }).store(ids)).toBe(0);
    await settled(stack);
    expect(mailsTo('ap@late-en.example')).toHaveLength(3);
    expect(mailsTo('facturas@late-es.example')).toHaveLength(3);

    // The customer reads every notice in its portal, in its language, newest first.
    const seen = await expectStatus(call('get', `/customers/${laura.id}/billing/notices`, undefined, laura.token), 200);
    expect(seen.map((n: { kind: string; subject: string }) => [n.kind, n.subject])).toEqual([
      ['restoration', 'Servicio restablecido'],
      ['suspension', 'Servicio suspendido por falta de pago'],
      ['final_notice', 'Último aviso antes de la suspensión'],
    ]);
  });

  it('a run as of a chosen day decides as that day would: the notice period counts from the day the warning went out', async () => {
    stack.setClock('2026-12-01T12:00:00Z');
    const ana = await billedCustomer(stack, { contact: { name: 'Ana Ruiz', email: 'ana@asof.example' }, locale: 'es' });
    await addSubscription(stack, ana.id, 'microsoft_365');
    await putInvoice(stack, ana.id, '2026-10-10', '90.00', 'FAC-ASOF');
    await settled(stack);
    expect((await steps(ana.id)).map((s) => [s.action, s.outcome])).toEqual([
      ['remind', 'superseded'],
      ['final_notice', 'applied'],
    ]);
    stack.setClock('2026-12-20T12:00:00Z');
    for (const asOf of ['2026-12-02', '2026-12-15']) {
      const run = await runDunning(stack, { asOf });
      expect([asOf, run.result.applied.suspend, run.result.deferred]).toEqual([asOf, 0, 1]);
    }
    const dry = await expectStatus(call('post', '/dunning/runs', { asOf: '2026-12-16', dryRun: true }), 200);
    expect(dry.preview).toEqual([expect.objectContaining({ customerId: ana.id, action: 'suspend', invoice: 'FAC-ASOF' })]);
    const on16 = await runDunning(stack, { asOf: '2026-12-16' });
    expect(on16.result.applied.suspend).toBe(1);
    expect((await runDunning(stack, { asOf: '2026-12-16' })).result.applied.suspend).toBe(0);
    expect((await runDunning(stack)).result.applied.suspend).toBe(0);
    expect((await steps(ana.id)).map((s) => [s.action, s.applied_on])).toEqual([
      ['remind', '2026-12-01'],
      ['final_notice', '2026-12-01'],
      ['suspend', '2026-12-16'],
    ]);
    const mails = await eventually(async () => mailsTo('ana@asof.example'), (m) => m.length === 2, 30_000, 'final notice and suspension to Ana');
    expect(mails.map((m) => m.mail.subject)).toEqual(['Último aviso antes de la suspensión', 'Servicio suspendido por falta de pago']);
    expect(mails[1].mail.text).toContain('Microsoft 365');
  });

  it('has no customer without a recipient: a billing account needs its billing contact', async () => {
    stack.setClock('2026-12-01T12:00:00Z');
    const customer = await billedCustomer(stack);
    const res = await call('put', `/customers/${customer.id}/billing-account`, { currency: 'EUR', paymentTermsDays: 30, locale: 'en' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('contact');
    const noEmail = await call('put', `/customers/${customer.id}/billing-account`, { currency: 'EUR', paymentTermsDays: 30, locale: 'en', contact: { name: 'Nobody', email: '' } });
    expect(noEmail.status).toBe(400);
    expect(JSON.stringify(noEmail.body)).toContain('contact.email');
  });
});
