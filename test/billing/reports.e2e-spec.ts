import { ReceivablesCompactor } from '@helpdesk/billing';
import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, invoiceNumber, POLICY, putWarnedInvoice, settled, startBilling } from './support';

describe('receivables: aging per currency, DSO, recovered after suspension, customers suspended; the account view; gauges', () => {
  let stack: BillingStack;
  let call: Call;
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2026-12-31T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const invoice = async (customerId: string, issuedOn: string, dueOn: string, amount: string, currency = 'EUR', extra: Record<string, unknown> = {}) =>
    expectStatus(call('put', `/invoices/${invoiceNumber('R')}`, { customerId, issuedOn, dueOn, currency, lines: [{ description: 'x', amount }], ...extra }), 201);

  it('reports aging buckets per currency, DSO over 90 days of sales, recoveries and suspended customers', async () => {
    const eur = await billedCustomer(stack);
    const usd = await billedCustomer(stack, { currency: 'USD' });
    const suspended = await billedCustomer(stack);
    await addSubscription(stack, suspended.id, 'azure');
    await invoice(eur.id, '2026-12-20', '2027-01-15', '100.00'); // current
    const partly = await invoice(eur.id, '2026-11-20', '2026-12-20', '200.00'); // 11 days
    await expectStatus(call('post', `/invoices/${partly.number}/payments`, { amount: '50.00', currency: 'EUR', reference: 'P1' }), 201);
    await invoice(eur.id, '2026-10-20', '2026-11-20', '300.00'); // 41 days
    await invoice(eur.id, '2026-09-20', '2026-10-20', '400.00'); // 72 days
    await invoice(eur.id, '2026-08-01', '2026-09-01', '500.00'); // 121 days
    const paid = await invoice(eur.id, '2026-12-01', '2026-12-31', '100.00');
    await expectStatus(call('post', `/invoices/${paid.number}/payments`, { amount: '100.00', currency: 'EUR', reference: 'P2' }), 201);
    await invoice(eur.id, '2026-12-01', '2026-12-31', '999.00', 'EUR', { status: 'void' });
    await invoice(usd.id, '2026-07-01', '2026-08-01', '500.00', 'USD'); // 152 days
    // Warned on time (its final notice on Nov 16), so suspended now.
    const late = await putWarnedInvoice(stack, suspended.id, '2026-11-01', '60.00', invoiceNumber('R'), { extra: { issuedOn: '2026-10-01' } });
    await settled(stack);
    expect((await expectStatus(call('get', `/customers/${suspended.id}/billing`), 200)).status.state).toBe('suspended');
    await expectStatus(call('post', `/invoices/${late.number}/payments`, { amount: '60.00', currency: 'EUR', reference: 'P3' }), 201);
    const stillSuspended = await billedCustomer(stack);
    await addSubscription(stack, stillSuspended.id, 'microsoft_365');
    await putWarnedInvoice(stack, stillSuspended.id, '2026-11-01', '10.00', invoiceNumber('R'), { extra: { issuedOn: '2026-10-01' } });
    await settled(stack);

    const report = await expectStatus(call('get', '/reports/receivables'), 200);
    expect(report).toMatchObject({ asOf: '2026-12-31', timezone: 'Europe/Madrid', customersSuspended: 1, subscriptionsSuspended: 1 });
    const eurRow = report.currencies.find((c: { currency: string }) => c.currency === 'EUR');
    expect(eurRow.aging).toEqual({
      current: { amount: '100.00', currency: 'EUR' },
      days1to30: { amount: '150.00', currency: 'EUR' },
      days31to60: { amount: '310.00', currency: 'EUR' },
      days61to90: { amount: '400.00', currency: 'EUR' },
      over90: { amount: '500.00', currency: 'EUR' },
    });
    expect(eurRow.outstanding).toEqual({ amount: '1460.00', currency: 'EUR' });
    // Sales issued in the last 90 days (Oct 3 – Dec 31), void ones left out: 100 + 200 + 300 + 100 (those of Oct 1 and before are outside).
    expect(eurRow.salesLast90Days).toEqual({ amount: '700.00', currency: 'EUR' });
    expect(eurRow.dso).toBe(Math.round((1460 / 700) * 90 * 10) / 10);
    expect(eurRow.recoveredAfterSuspension).toEqual({ amount: '60.00', currency: 'EUR' });
    expect(report.currencies.find((c: { currency: string }) => c.currency === 'USD')).toMatchObject({
      outstanding: { amount: '500.00', currency: 'USD' },
      aging: { over90: { amount: '500.00' }, current: { amount: '0.00' } },
      dso: null,
    });

    // The per-day totals agree with the invoices, before and after the worker folds the deltas.
    const [direct] = await stack.api.dataSource.query(`SELECT sum(total - paid)::text AS open FROM invoices WHERE status = 'open' AND currency = 'EUR'`);
    expect(direct.open).toBe('146000');
    expect(await stack.workers[0].get(ReceivablesCompactor, { strict: false }).compact()).toBeGreaterThanOrEqual(0);
    const [{ deltas }] = await stack.api.dataSource.query(`SELECT count(*)::int AS deltas FROM receivable_deltas`);
    expect(deltas).toBe(0);
    expect(await expectStatus(call('get', '/reports/receivables'), 200)).toEqual(report);

    const view = await expectStatus(call('get', `/customers/${eur.id}/billing`), 200);
    expect(view.status).toMatchObject({ state: 'overdue', overdue: { amount: { amount: '1350.00', currency: 'EUR' }, days: 121, invoices: 4 }, outstanding: { amount: '1450.00' } });
    expect(view.openInvoices).toHaveLength(5);
    expect((await call('get', '/reports/receivables', undefined, stack.sales.token)).status).toBe(200);
  });

  it('exposes the overdue amount and suspended subscriptions as Prometheus gauges', async () => {
    const res = await stack.api.http.get('/metrics').set({ Authorization: `Bearer ${stack.api.adminToken}` });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^helpdesk_billing_overdue_amount\{currency="EUR"\} 1360$/m);
    expect(res.text).toMatch(/^helpdesk_billing_overdue_amount\{currency="USD"\} 500$/m);
    expect(res.text).toMatch(/^helpdesk_billing_suspended_subscriptions\{product="microsoft_365",origin="collections"\} 1$/m);
    expect(res.text).not.toMatch(/^helpdesk_billing_suspended_subscriptions\{product="azure"/m);
  });
});
