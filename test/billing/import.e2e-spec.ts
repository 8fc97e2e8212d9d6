import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, invoiceNumber, settled, startBilling } from './support';
import { bearer } from '../support';

const LIMIT = 8192;
const HEADER = 'number,customerId,issuedOn,dueOn,currency,description,amount,subscriptionId';

describe('CSV import of invoices: all rows or none, every bad row listed, its own body limit', () => {
  let stack: BillingStack;
  let call: Call;
  beforeAll(async () => {
    stack = await startBilling({ apiEnv: { BILLING_IMPORT_MAX_BYTES: String(LIMIT) } });
    call = caller(stack);
    stack.setClock('2026-12-10T10:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const importCsv = (csv: string, contentType = 'text/csv; charset=utf-8', token = stack.admin.token) =>
    stack.api.http.post('/api/v1/invoices/import').set(bearer(token)).set('Content-Type', contentType).send(csv);
  const invoiceCount = async (customerIds: string[]) =>
    (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM invoices WHERE customer_id = ANY($1::uuid[])`, [customerIds]))[0].n as number;

  it('imports rows as invoices (rows sharing a number are its lines), and the same file again changes nothing', async () => {
    const a = await billedCustomer(stack);
    const b = await billedCustomer(stack);
    const sub = await addSubscription(stack, a.id, 'azure');
    const [n1, n2] = [invoiceNumber('CSV'), invoiceNumber('CSV')];
    const csv = [
      HEADER,
      `${n1},${a.id},2026-11-01,2026-12-01,EUR,Azure consumption,120.00,${sub.id}`,
      `${n1},${a.id},2026-11-01,2026-12-01,EUR,"Credit, goodwill",-20.00,`,
      `${n2},${b.id},2026-11-15,2027-01-15,EUR,Microsoft 365,300.10,`,
      '',
    ].join('\r\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invoices: 2, created: 2, updated: 0, unchanged: 0, dunningRunId: expect.any(String) });
    const first = await expectStatus(call('get', `/invoices/${n1}`), 200);
    expect(first).toMatchObject({ customerId: a.id, total: { amount: '100.00' }, status: 'open' });
    expect(first.lines).toEqual([
      { position: 0, description: 'Azure consumption', amount: { amount: '120.00', currency: 'EUR' }, subscriptionId: sub.id },
      { position: 1, description: 'Credit, goodwill', amount: { amount: '-20.00', currency: 'EUR' }, subscriptionId: null },
    ]);
    const again = await importCsv(csv);
    expect(again.body).toEqual({ invoices: 2, created: 0, updated: 0, unchanged: 2, dunningRunId: null });
    const changed = await importCsv(`${HEADER}\n${n2},${b.id},2026-11-15,2027-01-20,EUR,Microsoft 365,300.10,\n`);
    expect(changed.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect((await expectStatus(call('get', `/invoices/${n2}`), 200)).dueOn).toBe('2027-01-20');
    await settled(stack);
  });

  it('lists every bad row with its row number and column, and imports nothing at all', async () => {
    const a = await billedCustomer(stack);
    const usd = await billedCustomer(stack, { currency: 'USD' });
    const other = await billedCustomer(stack);
    const otherSub = await addSubscription(stack, other.id, 'azure');
    const paidNumber = invoiceNumber('PAID');
    await expectStatus(call('put', `/invoices/${paidNumber}`, { customerId: a.id, issuedOn: '2026-11-01', dueOn: '2026-12-01', currency: 'EUR', lines: [{ description: 'x', amount: '10.00' }] }), 201);
    await expectStatus(call('post', `/invoices/${paidNumber}/payments`, { amount: '10.00', currency: 'EUR', reference: 'P' }), 201);
    const good = invoiceNumber('GOOD');
    const csv = [
      HEADER,
      `${good},${a.id},2026-11-01,2026-12-01,EUR,Fine row,10.00,`, // row 2: fine on its own
      `${invoiceNumber()},${a.id},2026-11-31,2026-12-01,EUR,Bad date,10.00,`, // 3: issuedOn
      `${invoiceNumber()},${a.id},2026-11-01,2026-12-01,EUR,"Too many decimals, on
two lines in one cell",10.001,`, // 4: amount (one row, however many lines)
      `${invoiceNumber()},not-a-uuid,2026-11-01,2026-12-01,EUR,Who,10.00,`, // 5: customerId
      `${invoiceNumber()},${usd.id},2026-11-01,2026-12-01,EUR,Wrong currency for the account,10.00,`, // 6: currency
      `${invoiceNumber()},${a.id},2026-11-01,2026-12-01,EUR,Another's subscription,10.00,${otherSub.id}`, // 7: subscriptionId
      `${paidNumber},${a.id},2026-11-01,2026-12-01,EUR,Paid invoice with a new total,99.00,`, // 8: number (409 rule)
      `${good},${other.id},2026-11-01,2026-12-01,EUR,Same number for another customer,5.00,`, // 9: customerId differs
      `bad number!,${a.id},2026-11-01,2026-12-01,EUR,x,1.00,`, // 10: number
      `${invoiceNumber()},${a.id},2026-11-01,2026-12-01,EUR`, // 11: too few values
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ imported: 0, errorCount: 9 });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'row 3.issuedOn',
      'row 4.amount',
      'row 5.customerId',
      'row 6.currency',
      'row 7.subscriptionId',
      'row 8.number',
      'row 9.customerId',
      'row 10.number',
      'row 11',
    ]);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'row 8.number').message).toMatch(/is paid: its total and currency can no longer change/);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'row 9.customerId').message).toBe(`row 9: customerId differs from row 2, an earlier row of invoice ${good}`);
    expect(await invoiceCount([a.id, usd.id, other.id])).toBe(1);
  });

  it('refuses a file whose only problem is in the records, and imports nothing', async () => {
    const a = await billedCustomer(stack);
    const usd = await billedCustomer(stack, { currency: 'USD' });
    const res = await importCsv([HEADER, `${invoiceNumber()},${a.id},2026-11-01,2026-12-01,EUR,Fine,10.00,`, `${invoiceNumber()},${usd.id},2026-11-01,2026-12-01,EUR,Wrong currency,10.00,`].join('\n'));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'row 3.currency', message: "row 3: currency must be the billing account's currency, USD", code: 'invalid', params: {} }]);
    expect(await invoiceCount([a.id, usd.id])).toBe(0);
  });

  it('refuses a wrong header, another content type, a body over its limit, and other roles', async () => {
    const a = await billedCustomer(stack);
    const header = await importCsv(`number,customer,issuedOn,dueOn,currency,description,amount\nX,${a.id},2026-11-01,2026-12-01,EUR,x,1.00\n`);
    expect([header.status, header.body.errors[0].field]).toEqual([400, 'row 1']);
    expect(header.body.errors[0].message).toMatch(/missing customerId; unknown customer/);
    expect((await importCsv(HEADER)).status).toBe(400);
    const json = await stack.api.http.post('/api/v1/invoices/import').set(bearer(stack.admin.token)).send({ rows: [] });
    expect([json.status, json.headers['content-type']]).toEqual([415, expect.stringMatching(/^application\/problem\+json/)]);
    const row = `${invoiceNumber()},${a.id},2026-11-01,2026-12-01,EUR,${'x'.repeat(80)},1.00,\n`;
    const big = HEADER + '\n' + row.repeat(Math.ceil(LIMIT / row.length) + 1);
    const tooLarge = await importCsv(big);
    expect([tooLarge.status, tooLarge.body.detail]).toEqual([413, expect.stringMatching(new RegExp(`larger than ${LIMIT} bytes`))]);
    // Every other route still takes JSON only.
    const elsewhere = await stack.api.http.put('/api/v1/collections-policy').set(bearer(stack.admin.token)).set('Content-Type', 'text/csv').send('timezone\nEurope/Madrid\n');
    expect([elsewhere.status, elsewhere.body.type]).toEqual([415, 'urn:helpdesk:problem:unsupported-media-type']);
    expect((await importCsv(`${HEADER}\n`, 'text/csv', stack.sales.token)).status).toBe(403);
    expect(await invoiceCount([a.id])).toBe(0);
  });
});
