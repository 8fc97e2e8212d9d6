import { bearer, createCustomer, eventually, ticketBody } from '../support';
import { addSubscription, billedCustomer, BillingStack, Call, caller, expectStatus, POLICY, putInvoice, settled, startBilling } from './support';

/** Billing-aware triage: a rule may test the customer's billing status (read through billing's service). */
describe('triage rules on the customer billing status', () => {
  let stack: BillingStack;
  let call: Call;
  let ruleId: string;
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2027-05-20T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', { ...POLICY, steps: [{ action: 'remind', days: 1 }] }), 200);
    await expectStatus(call('put', '/billing/provisioning', { delivery: 'manual' }), 200);
    const rule = await stack.api.http.post('/api/v1/triage-rules').set(bearer(stack.api.adminToken)).send({
      name: 'Impagados a facturación / overdue to billing', position: 1, enabled: true, stopOnMatch: false,
      conditions: { billingStatus: ['overdue', 'suspended'] }, actions: { queue: 'billing', priority: 'P2', tags: ['collections'] },
    });
    expect(rule.status).toBe(201);
    ruleId = rule.body.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const triaged = async (customer: { token: string }) => {
    const filed = await stack.api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Teams no arranca', description: 'Teams se cierra al abrirlo desde esta mañana.' }));
    expect(filed.status).toBe(201);
    return eventually(
      async () => (await stack.api.http.get(`/api/v1/tickets/${filed.body.id}`).set(bearer(stack.api.adminToken))).body,
      (t) => t.status === 'triaged',
      20_000,
      'triaged',
    );
  };
  const dryRun = (customerId?: string) =>
    expectStatus(call('post', '/triage-rules/dry-run', { customerId, subject: 'Teams no arranca', description: 'Teams se cierra al abrirlo.' }, stack.api.adminToken), 200);

  it('routes an overdue or suspended customer to the billing queue at P2; a current one and one without billing account are triaged as usual', async () => {
    const late = await billedCustomer(stack);
    await putInvoice(stack, late.id, '2027-05-10', '80.00');
    const held = await billedCustomer(stack);
    await addSubscription(stack, held.id, 'microsoft_365');
    await expectStatus(call('post', `/customers/${held.id}/suspensions`, { reason: 'Impago / non-payment', products: ['microsoft_365'] }), 201);
    const current = await billedCustomer(stack);
    await putInvoice(stack, current.id, '2027-06-30', '80.00');
    const unbilled = await createCustomer(stack.api, stack.planId);
    await settled(stack);

    for (const customer of [late, held]) {
      const ticket = await triaged(customer);
      expect(ticket).toMatchObject({ queue: 'billing', priority: 'P2', tags: ['collections'] });
      expect(ticket.billing.state).toBe(customer === late ? 'overdue' : 'suspended');
    }
    for (const customer of [current, unbilled]) {
      const ticket = await triaged(customer);
      expect([ticket.queue, ticket.priority, ticket.tags]).toEqual(['technical', 'P3', []]);
    }
    const events = await stack.api.dataSource.query(
      `SELECT e.data FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.customer_id = $1 AND e.type = 'triaged'`,
      [late.id],
    );
    expect(events[0].data.matchedRules.map((m: { ruleId: string }) => m.ruleId)).toEqual([ruleId]);

    // The dunning state changes with payment: paid, the same customer is triaged as usual again.
    const [invoice] = await stack.api.dataSource.query(`SELECT number FROM invoices WHERE customer_id = $1`, [late.id]);
    await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '80.00', currency: 'EUR', paidOn: '2027-05-20', reference: 'TRF-1' }), 201, 200);
    await settled(stack);
    expect((await triaged(late)).queue).toBe('technical');
  });

  it('the dry run shows the billing status the rules saw and the rule it matched', async () => {
    const late = await billedCustomer(stack);
    await putInvoice(stack, late.id, '2027-05-01', '30.00');
    const overdue = await dryRun(late.id);
    expect(overdue).toMatchObject({ billingStatus: 'overdue', result: { queue: 'billing', priority: 'P2' } });
    expect(overdue.matchedRules.map((m: { ruleId: string }) => m.ruleId)).toEqual([ruleId]);
    const none = await dryRun();
    expect([none.billingStatus, none.matchedRules, none.result.queue]).toEqual([null, [], 'technical']);
    const unbilled = await createCustomer(stack.api, stack.planId);
    expect((await dryRun(unbilled.id)).billingStatus).toBeNull();
    await settled(stack);
  });

  it('refuses an unknown billing status naming the field, storing nothing', async () => {
    const before = (await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM triage_rules`))[0].n;
    for (const billingStatus of [['late'], 'overdue', [1]]) {
      const res = await stack.api.http.post('/api/v1/triage-rules').set(bearer(stack.api.adminToken)).send({
        name: 'x', position: 2, enabled: true, stopOnMatch: false, conditions: { billingStatus }, actions: { queue: 'billing' },
      });
      expect([billingStatus, res.status, res.body.errors?.[0]?.field]).toEqual([billingStatus, 400, 'conditions.billingStatus']);
    }
    expect((await stack.api.dataSource.query(`SELECT count(*)::int AS n FROM triage_rules`))[0].n).toBe(before);
  });
});
