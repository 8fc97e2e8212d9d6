import { randomUUID } from 'node:crypto';
import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, invoiceNumber, putInvoice, settled, startBilling, timelineTypes } from './support';

describe('billing records: accounts, subscriptions, invoices (idempotent PUT), payments', () => {
  let stack: BillingStack;
  let call: Call;
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    // No policy: nothing here is dunned.
    stack.setClock('2026-12-10T10:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const invoiceBody = (customerId: string, overrides: Record<string, unknown> = {}) => ({
    customerId,
    issuedOn: '2026-11-01',
    dueOn: '2026-12-01',
    currency: 'EUR',
    lines: [
      { description: 'Microsoft 365 Business Premium × 10', amount: '206.00' },
      { description: 'Azure consumption', amount: '44.50' },
    ],
    ...overrides,
  });

  it('keeps a billing account per customer; its currency is fixed once it bills', async () => {
    const customer = await billedCustomer(stack, { locale: 'en' });
    const again = await call('put', `/customers/${customer.id}/billing-account`, {
      currency: 'USD',
      paymentTermsDays: 45,
      contact: { name: 'Ann Lee', email: 'ap@client.example' },
      locale: 'en',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ currency: 'USD', paymentTermsDays: 45, contact: { name: 'Ann Lee' }, status: { state: 'current', overdue: null } });
    await putInvoice(stack, customer.id, '2026-12-20', '10.00', invoiceNumber(), { currency: 'USD' });
    const change = await call('put', `/customers/${customer.id}/billing-account`, { currency: 'EUR', paymentTermsDays: 45, contact: { name: 'Ann Lee', email: 'ap@client.example' }, locale: 'en' });
    expect(change.status).toBe(409);
    const unknown = await call('put', `/customers/${randomUUID()}/billing-account`, { currency: 'EUR', paymentTermsDays: 30, contact: { name: 'x', email: 'x@y.example' }, locale: 'es' });
    expect(unknown.status).toBe(404);
    const bad = await call('put', `/customers/${customer.id}/billing-account`, { currency: 'EURO', paymentTermsDays: 400, contact: { name: '', email: 'nope' }, locale: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['contact.email', 'contact.name', 'currency', 'locale', 'paymentTermsDays']);
  });

  it('records subscriptions with a status history; cancelling needs a reason', async () => {
    const customer = await billedCustomer(stack);
    const sub = await addSubscription(stack, customer.id, 'microsoft_365', { unitPrice: '20.60', quantity: 25 });
    expect(sub).toMatchObject({ product: 'microsoft_365', quantity: 25, unitPrice: { amount: '20.60', currency: 'EUR' }, status: 'active', suspension: null });
    const duplicate = await call('post', `/customers/${customer.id}/subscriptions`, { product: 'azure', vendorSubscriptionId: sub.vendorSubscriptionId, tenantId: 't', offerName: 'o', quantity: 1, unitPrice: '1.00' });
    expect(duplicate.status).toBe(409);
    expect((await call('post', `/customers/${customer.id}/subscriptions`, { product: 'azure', vendorSubscriptionId: randomUUID(), tenantId: 't', offerName: 'o', quantity: 1, unitPrice: '1.001' })).body.errors).toEqual([
      { field: 'unitPrice', message: 'unitPrice EUR amounts have at most 2 decimals', code: 'invalid', params: {} },
    ]);
    expect((await call('patch', `/subscriptions/${sub.id}`, { status: 'cancelled' })).body.errors[0].field).toBe('reason');
    expect((await call('patch', `/subscriptions/${sub.id}`, { status: 'suspended', reason: 'x' })).body.errors[0].field).toBe('status');
    const cancelled = await expectStatus(call('patch', `/subscriptions/${sub.id}`, { status: 'cancelled', reason: 'Customer moved to another partner' }), 200);
    expect(cancelled.history.map((h: { from: string | null; to: string; reason: string }) => [h.from, h.to, h.reason])).toEqual([
      [null, 'active', 'added'],
      ['active', 'cancelled', 'Customer moved to another partner'],
    ]);
    expect((await call('patch', `/subscriptions/${sub.id}`, { status: 'cancelled', reason: 'again' })).status).toBe(409);
  });

  it('stores an invoice by number: the same again is a no-op, a change is recorded, money in minor units', async () => {
    const customer = await billedCustomer(stack);
    const number = invoiceNumber();
    const created = await call('put', `/invoices/${number}`, invoiceBody(customer.id, { total: '250.50' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number, status: 'open', total: { amount: '250.50', currency: 'EUR' }, balance: { amount: '250.50' }, overdue: true, daysOverdue: 9 });
    const [stored] = await stack.api.dataSource.query(`SELECT total FROM invoices WHERE number = $1`, [number]);
    expect(stored.total).toBe('25050');

    const before = (await timelineTypes(stack, customer.id)).length;
    const same = await call('put', `/invoices/${number}`, invoiceBody(customer.id));
    expect(same.status).toBe(200);
    expect(same.body.updatedAt).toBe(created.body.updatedAt);
    expect((await timelineTypes(stack, customer.id)).length).toBe(before);

    const changed = await call('put', `/invoices/${number}`, invoiceBody(customer.id, { dueOn: '2026-12-15' }));
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ dueOn: '2026-12-15', overdue: false });
    const events = await expectStatus(call('get', `/customers/${customer.id}/billing/timeline`), 200);
    expect(events.items.at(-1)).toMatchObject({ type: 'invoice_updated', data: { number, changes: ['dueOn'] } });
  });

  it('refuses what the records forbid: 409 for a paid invoice’s total or another customer’s number, 422 for the account rules', async () => {
    const customer = await billedCustomer(stack);
    const other = await billedCustomer(stack);
    const otherSub = await addSubscription(stack, other.id, 'azure');
    const number = invoiceNumber();
    await expectStatus(call('put', `/invoices/${number}`, invoiceBody(customer.id)), 201);
    await expectStatus(call('post', `/invoices/${number}/payments`, { amount: '250.50', currency: 'EUR', reference: 'TRF-1' }), 201);
    const paid = await expectStatus(call('get', `/invoices/${number}`), 200);
    expect(paid.status).toBe('paid');

    const newTotal = await call('put', `/invoices/${number}`, invoiceBody(customer.id, { lines: [{ description: 'Azure', amount: '300.00' }] }));
    expect(newTotal.status).toBe(409);
    expect(newTotal.body.detail).toMatch(/is paid/);
    expect((await call('put', `/invoices/${number}`, invoiceBody(customer.id, { status: 'void' }))).status).toBe(409);
    // A paid invoice may still get a corrected due date.
    expect((await call('put', `/invoices/${number}`, invoiceBody(customer.id, { dueOn: '2026-12-02' }))).status).toBe(200);
    expect((await call('put', `/invoices/${number}`, invoiceBody(other.id))).status).toBe(409);

    const unknownCustomer = await call('put', `/invoices/${invoiceNumber()}`, invoiceBody(randomUUID()));
    expect([unknownCustomer.status, unknownCustomer.body.errors]).toEqual([422, [{ field: 'customerId', message: expect.stringMatching(/has no billing account/), code: 'invalid', params: {} }]]);
    const currency = await call('put', `/invoices/${invoiceNumber()}`, invoiceBody(customer.id, { currency: 'USD' }));
    expect([currency.status, currency.body.errors[0].field]).toEqual([422, 'currency']);
    const foreign = await call('put', `/invoices/${invoiceNumber()}`, invoiceBody(customer.id, { lines: [{ description: 'x', amount: '1.00', subscriptionId: otherSub.id }] }));
    expect([foreign.status, foreign.body.errors[0].field]).toEqual([422, 'lines.0.subscriptionId']);

    const bad = await call('put', `/invoices/${invoiceNumber()}`, invoiceBody(customer.id, { dueOn: '2026-10-01', total: 250.5, lines: [{ description: 'x', amount: 12.5 }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['lines.0.amount', 'total']);
    const order = await call('put', `/invoices/${invoiceNumber()}`, invoiceBody(customer.id, { dueOn: '2026-10-01' }));
    expect([order.status, order.body.errors]).toEqual([400, [{ field: 'dueOn', message: 'dueOn must not be before issuedOn', code: 'invalid', params: {} }]]);
    const decimals = await call('put', `/invoices/${invoiceNumber()}`, invoiceBody(customer.id, { lines: [{ description: 'x', amount: '1.005' }] }));
    expect([decimals.status, decimals.body.errors[0].field]).toEqual([400, 'lines.0.amount']);
    expect((await call('put', '/invoices/bad%20number', invoiceBody(customer.id))).body.errors[0].field).toBe('number');
    // None of the refused invoices exists.
    const [{ n }] = await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE customer_id = $1`, [customer.id]);
    expect(n).toBe(1);
  });

  it('creates the same new number once when two PUTs race', async () => {
    const customer = await billedCustomer(stack);
    const number = invoiceNumber('RACE');
    const answers = await Promise.all(Array.from({ length: 6 }, () => call('put', `/invoices/${number}`, invoiceBody(customer.id))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const [{ n }] = await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE number = $1`, [number]);
    expect(n).toBe(1);
  });

  it('takes partial payments, refuses overpayment and another currency (422), and a repeated reference is the same payment', async () => {
    const customer = await billedCustomer(stack);
    const number = invoiceNumber();
    await expectStatus(call('put', `/invoices/${number}`, invoiceBody(customer.id)), 201);
    const first = await call('post', `/invoices/${number}/payments`, { amount: '100.00', currency: 'EUR', reference: 'SEPA-1', paidOn: '2026-12-05' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'open', paid: { amount: '100.00' }, balance: { amount: '150.50' } });
    expect(first.body.payments).toEqual([expect.objectContaining({ amount: { amount: '100.00', currency: 'EUR' }, paidOn: '2026-12-05', reference: 'SEPA-1' })]);

    const repeat = await call('post', `/invoices/${number}/payments`, { amount: '100.00', currency: 'EUR', reference: 'SEPA-1' });
    expect([repeat.status, repeat.body.payments.length]).toEqual([200, 1]);
    expect((await call('post', `/invoices/${number}/payments`, { amount: '90.00', currency: 'EUR', reference: 'SEPA-1' })).status).toBe(409);

    const over = await call('post', `/invoices/${number}/payments`, { amount: '150.51', currency: 'EUR', reference: 'SEPA-2' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ balance: '150.50', errors: [{ field: 'amount', message: 'amount is more than the balance due (150.50 EUR)' }] });
    const wrongCurrency = await call('post', `/invoices/${number}/payments`, { amount: '10.00', currency: 'USD', reference: 'SEPA-3' });
    expect([wrongCurrency.status, wrongCurrency.body.errors]).toEqual([422, [{ field: 'currency', message: "currency must be the invoice's currency, EUR", code: 'invalid', params: {} }]]);
    const future = await call('post', `/invoices/${number}/payments`, { amount: '1.00', currency: 'EUR', reference: 'SEPA-4', paidOn: '2026-12-11' });
    expect([future.status, future.body.errors[0].field]).toEqual([400, 'paidOn']);
    for (const [body, field] of [
      [{ amount: 10, currency: 'EUR', reference: 'x' }, 'amount'],
      [{ amount: '0.00', currency: 'EUR', reference: 'x' }, 'amount'],
      [{ amount: '1.00', currency: 'eur', reference: 'x' }, 'currency'],
      [{ amount: '1.00', currency: 'EUR' }, 'reference'],
    ] as const) {
      const refused = await call('post', `/invoices/${number}/payments`, body);
      expect([body, refused.status, refused.body.errors?.[0]?.field]).toEqual([body, 400, field]);
    }
    const rest = await call('post', `/invoices/${number}/payments`, { amount: '150.50', currency: 'EUR', reference: 'SEPA-5' });
    expect(rest.body).toMatchObject({ status: 'paid', balance: { amount: '0.00' } });
    expect((await call('post', `/invoices/${number}/payments`, { amount: '0.01', currency: 'EUR', reference: 'SEPA-6' })).status).toBe(422);
    expect((await call('post', `/invoices/NOPE-1/payments`, { amount: '1.00', currency: 'EUR', reference: 'x' })).status).toBe(404);
    const types = await timelineTypes(stack, customer.id);
    expect(types.filter((t) => t === 'payment_recorded')).toHaveLength(2);
    expect(types.filter((t) => t === 'invoice_paid')).toHaveLength(1);
    await settled(stack);
  });

  it('lists invoices newest first with filters and a cursor', async () => {
    const customer = await billedCustomer(stack);
    const numbers: string[] = [];
    for (const due of ['2026-11-01', '2026-12-20', '2026-12-05']) numbers.push((await putInvoice(stack, customer.id, due, '50.00')).number);
    const page1 = await expectStatus(call('get', `/invoices?customerId=${customer.id}&limit=2`), 200);
    expect(page1.items.map((i: { number: string }) => i.number)).toEqual([numbers[2], numbers[1]]);
    const page2 = await expectStatus(call('get', `/invoices?customerId=${customer.id}&limit=2&cursor=${page1.nextCursor}`), 200);
    expect([page2.items.map((i: { number: string }) => i.number), page2.nextCursor]).toEqual([[numbers[0]], null]);
    const overdue = await expectStatus(call('get', `/invoices?customerId=${customer.id}&overdue=true`), 200);
    expect(overdue.items.map((i: { number: string }) => i.number).sort()).toEqual([numbers[0], numbers[2]].sort());
    expect((await call('get', '/invoices?status=late')).body.errors[0].field).toBe('status');
    await settled(stack);
  });
});
