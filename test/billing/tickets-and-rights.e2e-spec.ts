import { bearer, createAgent, createCustomer, eventually, ticketBody } from '../support';
import { contract, putEntitlements, workedTicket } from '../escalation/support';
import { addSubscription, billedCustomer, BillingStack, Call, caller, expectStatus, invoiceNumber, putInvoice, runDunning, settled, startBilling } from './support';

const POLICY = {
  timezone: 'Europe/Madrid',
  steps: [
    { action: 'remind', days: 1 },
    { action: 'suspend', days: 10, products: ['microsoft_365'], restoreRequires: 'overdue' },
  ],
  minimumAmounts: [{ currency: 'EUR', amount: '10.00' }],
};

describe('tickets see billing (status in staff reads, no technical escalation of a suspended product, disputed invoices); billing admin changes are audited', () => {
  let stack: BillingStack;
  let call: Call;
  let agent: { id: string; token: string };
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2027-03-20T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
    await expectStatus(call('put', '/billing/provisioning', { delivery: 'manual' }), 200);
    await putEntitlements(stack.api, 'gold', contract(10), contract(10));
    agent = await createAgent(stack.api, ['helpdesk_agent']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const getTicket = (id: string, token = stack.api.adminToken) => stack.api.http.get(`/api/v1/tickets/${id}`).set(bearer(token));
  const patchTicket = (id: string, body: Record<string, unknown>, token = stack.api.adminToken) => stack.api.http.patch(`/api/v1/tickets/${id}`).set(bearer(token)).send(body);
  const escalate = (id: string, body: Record<string, unknown>, token = stack.api.adminToken) =>
    stack.api.http.post(`/api/v1/tickets/${id}/escalations`).set(bearer(token)).send(body);
  const fileTicket = async (customer: { id: string; token: string }, fields: Record<string, unknown> = {}) => {
    const res = await stack.api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, fields));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const suspendByHand = async (customerId: string, products: string[], reason = 'Impago reiterado / repeated non-payment') =>
    expectStatus(call('post', `/customers/${customerId}/suspensions`, { reason, products }), 201);

  it('shows staff the customer billing status on ticket reads (current, overdue with days and amount, suspended products); customers never see it', async () => {
    const current = await billedCustomer(stack);
    const currentTicket = await fileTicket(current);
    expect((await getTicket(currentTicket)).body.billing).toMatchObject({ state: 'current', overdue: null, suspendedProducts: [] });

    const late = await billedCustomer(stack);
    await putInvoice(stack, late.id, '2027-03-08', '120.50');
    await putInvoice(stack, late.id, '2027-03-15', '10.00');
    await putInvoice(stack, late.id, '2027-04-30', '99.00');
    const lateTicket = await fileTicket(late, { category: 'billing' });
    const read = await getTicket(lateTicket);
    expect(read.status).toBe(200);
    expect(read.body.billing).toMatchObject({ state: 'overdue', overdue: { days: 12, invoices: 2, amount: { amount: '130.50', currency: 'EUR' } }, suspendedProducts: [] });
    // The same on a list page (every ticket of the page, one query), for staff who only read billing tickets too.
    const page = await stack.api.http.get(`/api/v1/tickets?customerId=${late.id}`).set(bearer(stack.sales.token));
    expect(page.status).toBe(200);
    expect(page.body.items[0].billing).toMatchObject({ state: 'overdue', overdue: { days: 12 } });
    // Filing answers without it (the intake hot path pays no billing query); reading the ticket shows it.
    const filed = await stack.api.http.post('/api/v1/tickets').set(bearer(stack.api.adminToken)).send(ticketBody(late.id, { category: 'billing' }));
    expect(filed.status).toBe(201);
    expect(filed.body).not.toHaveProperty('billing');
    expect((await getTicket(filed.body.id)).body.billing).toMatchObject({ state: 'overdue', overdue: { days: 12 } });

    const held = await billedCustomer(stack);
    await addSubscription(stack, held.id, 'azure');
    await suspendByHand(held.id, ['azure']);
    const heldTicket = await fileTicket(held);
    expect((await getTicket(heldTicket, stack.admin.token)).body.billing).toMatchObject({ state: 'suspended', suspendedProducts: ['azure'] });

    // A customer reads its own ticket without billing status; a customer without a billing account shows null.
    const own = await getTicket(lateTicket, late.token);
    expect(own.status).toBe(200);
    expect(own.body).not.toHaveProperty('billing');
    const ownList = await stack.api.http.get('/api/v1/tickets').set(bearer(late.token));
    expect(ownList.body.items.every((t: Record<string, unknown>) => !('billing' in t))).toBe(true);
    const unbilled = await createCustomer(stack.api, stack.planId);
    expect((await getTicket(await fileTicket(unbilled))).body.billing).toBeNull();
    await settled(stack);
  });

  it('refuses a technical escalation about a product the partner suspended (422 naming the suspension), allows commercial ones and other products, and an admin override with a reason', async () => {
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'microsoft_365');
    await addSubscription(stack, customer.id, 'azure');
    const suspension = await suspendByHand(customer.id, ['microsoft_365']);

    const technical = await workedTicket(stack.api, customer.id, { category: 'technical', priority: 'P1' });
    expect((await patchTicket(technical, { product: 'microsoft_365' })).status).toBe(200);
    const refused = await escalate(technical, { reason: 'Exchange Online caído', tier: 'premier' }, agent.token);
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toContain('suspended microsoft_365');
    expect(refused.body).toMatchObject({ reason: 'product_suspended', product: 'microsoft_365', suspensions: [{ suspensionId: suspension.id, origin: 'manual' }] });
    // The preview says so before anyone confirms: the tier an override would send it to, and who may override.
    const previewAs = (token: string) => stack.api.http.get(`/api/v1/tickets/${technical}/escalations/preview`).query({ tier: 'premier' }).set(bearer(token));
    expect((await previewAs(agent.token)).body).toMatchObject({
      chosen: 'premier',
      refusal: { code: 'product_suspended', status: 422, product: 'microsoft_365', overridableBy: ['global_admin', 'admin_agent'], mayOverride: false },
    });
    expect((await previewAs(stack.api.adminToken)).body.refusal).toMatchObject({ code: 'product_suspended', mayOverride: true });
    expect(JSON.stringify(refused.body)).not.toMatch(/stack|SELECT/);
    // Nothing was written: the ticket is not escalated, no escalation row.
    expect((await getTicket(technical)).body.status).toBe('in_progress');
    expect(await stack.api.dataSource.query(`SELECT id FROM escalations WHERE ticket_id = $1`, [technical])).toEqual([]);
    // Routing to the default technical tier is refused the same way.
    expect((await escalate(technical, { reason: 'Exchange Online caído' }, agent.token)).status).toBe(422);

    // An override: helpdesk agents may not, an empty reason is a 400, an admin with a reason may.
    const notAllowed = await escalate(technical, { reason: 'Exchange Online caído', billingOverride: 'Vendor outage' }, agent.token);
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.errors[0].field).toBe('billingOverride');
    expect((await escalate(technical, { reason: 'x', billingOverride: '  ' })).body.errors[0].field).toBe('billingOverride');
    const overridden = await escalate(technical, { reason: 'Exchange Online caído', tier: 'premier', billingOverride: 'Incidencia global del fabricante' });
    expect(overridden.status).toBe(202);
    const events = (await stack.api.http.get(`/api/v1/tickets/${technical}/events`).set(bearer(stack.api.adminToken))).body;
    expect(events.find((e: { type: string }) => e.type === 'escalated').data.billingOverride).toEqual({ reason: 'Incidencia global del fabricante', suspensions: [suspension.id] });

    // Another product of the same customer escalates; so does a commercial case about the suspended one.
    const azure = await workedTicket(stack.api, customer.id, { category: 'technical', priority: 'P1' });
    expect((await patchTicket(azure, { product: 'azure' })).status).toBe(200);
    expect((await escalate(azure, { reason: 'VM no arranca', tier: 'premier' }, agent.token)).status).toBe(202);
    const commercial = await workedTicket(stack.api, customer.id, { category: 'billing', priority: 'P2' });
    expect((await patchTicket(commercial, { product: 'microsoft_365' })).status).toBe(200);
    expect((await escalate(commercial, { reason: 'Licencias facturadas de más', tier: 'commercial' }, agent.token)).status).toBe(202);

    // Restored: the technical case escalates again.
    await expectStatus(call('post', `/suspensions/${suspension.id}/restore`, { reason: 'Pagado' }), 200);
    const again = await workedTicket(stack.api, customer.id, { category: 'technical', priority: 'P1' });
    expect((await patchTicket(again, { product: 'microsoft_365' })).status).toBe(200);
    expect((await escalate(again, { reason: 'Teams no carga', tier: 'premier' }, agent.token)).status).toBe(202);
    await settled(stack);
  });

  it('carries disputedInvoice (an open invoice of the ticket customer): dunning does not suspend while its ticket is open', async () => {
    const customer = await billedCustomer(stack);
    const other = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'microsoft_365');
    const invoice = await putInvoice(stack, customer.id, '2027-03-18', '75.00');
    const othersInvoice = await putInvoice(stack, other.id, '2027-03-18', '75.00');
    const paid = await putInvoice(stack, customer.id, '2027-04-15', '20.00');
    await expectStatus(call('post', `/invoices/${paid.number}/payments`, { amount: '20.00', currency: 'EUR', paidOn: '2027-03-02', reference: 'TR-1' }), 201);
    const ticket = await fileTicket(customer, { subject: 'Factura incorrecta', category: 'billing' });
    await eventually(async () => (await getTicket(ticket)).body.status, (s) => s === 'triaged');

    // Refused without a write: another customer's invoice, an unknown number, a paid invoice, a malformed number, a customer token.
    for (const [number, status, text] of [
      [othersInvoice.number, 422, 'has no invoice'],
      [invoiceNumber('NOPE'), 422, 'has no invoice'],
      [paid.number, 422, 'is paid'],
      ['../etc', 400, 'invoice number'],
    ] as const) {
      const res = await patchTicket(ticket, { disputedInvoice: number }, stack.admin.token);
      expect([number, res.status, res.body.errors?.[0]?.field]).toEqual([number, status, 'disputedInvoice']);
      expect(res.body.errors[0].message).toContain(text);
    }
    expect((await patchTicket(ticket, { disputedInvoice: invoice.number }, customer.token)).status).toBe(403);
    expect((await getTicket(ticket)).body.disputedInvoice).toBeNull();

    // billing_admin works the billing ticket and records the dispute (an event on its timeline).
    const set = await patchTicket(ticket, { disputedInvoice: invoice.number }, stack.admin.token);
    expect(set.status).toBe(200);
    expect(set.body.disputedInvoice).toBe(invoice.number);
    const events = (await stack.api.http.get(`/api/v1/tickets/${ticket}/events`).set(bearer(stack.admin.token))).body;
    expect(events.find((e: { type: string }) => e.type === 'dispute_changed').data).toEqual({ from: null, to: invoice.number });
    expect((await getTicket(ticket, customer.token)).body.disputedInvoice).toBe(invoice.number);
    expect((await getTicket(ticket)).body.billing.disputedInvoices).toEqual([invoice.number]);

    stack.setClock('2027-03-30T12:00:00Z');
    const run = await runDunning(stack);
    expect(run.status).toBe('completed');
    expect(await suspensionsOf(customer.id)).toEqual([]);

    // billing_admin works it further (its status) and clears the dispute (null): the next run suspends.
    expect((await patchTicket(ticket, { status: 'in_progress' }, stack.admin.token)).body.status).toBe('in_progress');
    expect((await patchTicket(ticket, { disputedInvoice: null }, stack.admin.token)).body.disputedInvoice).toBeNull();
    await runDunning(stack);
    expect((await suspensionsOf(customer.id)).map((s) => s.origin)).toEqual(['collections']);
    stack.setClock('2027-03-20T12:00:00Z');
    await settled(stack);
  });

  it('audits billing admin changes (policy versions, provisioning settings, manual suspensions and restores, dunning pauses) with their actor, never a secret; a refused change leaves none', async () => {
    const audit = async (entity: string, entityId?: string) => {
      const res = await stack.api.http.get(`/api/v1/audit?entity=${entity}${entityId ? `&entityId=${entityId}` : ''}`).set(bearer(stack.api.adminToken));
      expect(res.status).toBe(200);
      return res.body.items as Array<{ actor: { kind: string; id: string }; entityId: string; action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>;
    };
    const [first] = await audit('collections_policy');
    expect(first).toMatchObject({ actor: { kind: 'staff', id: stack.admin.id }, action: 'created', before: null, after: { timezone: 'Europe/Madrid' } });
    const next = await expectStatus(call('put', '/collections-policy', { ...POLICY, minimumAmounts: [{ currency: 'EUR', amount: '5.00' }] }), 200);
    const [latest] = await audit('collections_policy');
    expect(latest).toMatchObject({ entityId: String(next.version), before: { version: next.version - 1 }, after: { version: next.version, minimumAmounts: [{ currency: 'EUR', amount: '5.00' }] } });
    // A refused version writes nothing.
    const entries = (await audit('collections_policy')).length;
    expect((await call('put', '/collections-policy', { ...POLICY, timezone: 'Mars/Olympus' })).status).toBe(400);
    expect(await audit('collections_policy')).toHaveLength(entries);

    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    await expectStatus(call('put', '/billing/provisioning', { delivery: 'webhook', webhookUrl: 'https://provisioning.example/hooks', secret }), 200);
    await expectStatus(call('put', '/billing/provisioning', { delivery: 'manual' }), 200);
    const settings = await audit('provisioning_settings');
    expect(settings.slice(0, 2).map((e) => [e.action, e.before?.delivery, e.after?.delivery, e.after?.secretReplaced])).toEqual([
      ['updated', 'webhook', 'manual', false],
      ['updated', 'manual', 'webhook', true],
    ]);
    expect(JSON.stringify(settings)).not.toContain(secret.slice(6, 20));

    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'dynamics_365');
    const suspension = await suspendByHand(customer.id, ['dynamics_365'], 'Uso fraudulento / abuse');
    await expectStatus(call('post', `/suspensions/${suspension.id}/restore`, { reason: 'Caso cerrado' }), 200);
    expect((await call('post', `/suspensions/${suspension.id}/restore`, { reason: 'again' })).status).toBe(409);
    const held = await audit('billing_suspension', suspension.id);
    expect(held.map((e) => [e.action, e.actor.id, e.after?.reason])).toEqual([
      ['restored', stack.admin.id, 'Caso cerrado'],
      ['suspended', stack.admin.id, 'Uso fraudulento / abuse'],
    ]);

    await expectStatus(call('put', `/customers/${customer.id}/dunning-pause`, { reason: 'Plan de pagos', until: '2027-04-30' }), 200);
    await expectStatus(call('delete', `/customers/${customer.id}/dunning-pause`), 200);
    expect((await audit('dunning_pause', customer.id)).map((e) => e.action)).toEqual(['ended', 'paused']);
    // billing_admin makes these changes but does not read the audit log.
    expect((await stack.api.http.get('/api/v1/audit').set(bearer(stack.admin.token))).status).toBe(403);
  });

  async function suspensionsOf(customerId: string): Promise<Array<{ id: string; origin: string }>> {
    return expectStatus(call('get', `/customers/${customerId}/suspensions`), 200);
  }
});
