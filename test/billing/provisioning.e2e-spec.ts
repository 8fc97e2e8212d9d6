import { QueueName } from '@helpdesk/queue';
import { eventually } from '../support';
import {
  addSubscription,
  billedCustomer,
  BillingStack,
  caller,
  Call,
  expectStatus,
  jobFinished,
  POLICY,
  ProvisioningReceiver,
  putWarnedInvoice,
  queueOf,
  runDunning,
  settled,
  startBilling,
  timelineTypes,
  useWebhook,
} from './support';

describe('suspension and restore through signed webhooks: delivery, retries, payment races, restore of exactly what collections suspended', () => {
  let stack: BillingStack;
  let call: Call;
  let receiver: ProvisioningReceiver;
  beforeAll(async () => {
    receiver = await new ProvisioningReceiver().start();
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2026-12-10T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
    await useWebhook(stack, receiver, 500);
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  const suspensionsOf = async (customerId: string) => expectStatus(call('get', `/customers/${customerId}/suspensions`), 200);
  const statuses = async (customerId: string) =>
    Object.fromEntries(
      ((await expectStatus(call('get', `/customers/${customerId}/subscriptions`), 200)) as Array<{ product: string; status: string }>).map((s) => [s.product, s.status]),
    );
  const delivered = (id: string) => eventually(() => expectStatus(call('get', `/provisioning-actions/${id}`), 200), (a) => a.status !== 'pending', 20_000, `delivery ${id}`);

  it('suspends collections’ products with a signed subscription.suspend, and a payment restores exactly those, once', async () => {
    const customer = await billedCustomer(stack);
    const azure = await addSubscription(stack, customer.id, 'azure');
    const m365 = await addSubscription(stack, customer.id, 'microsoft_365');
    const dynamics = await addSubscription(stack, customer.id, 'dynamics_365');
    await addSubscription(stack, customer.id, 'other');
    const byHand = await expectStatus(call('post', `/customers/${customer.id}/suspensions`, { reason: 'Abuse report from the vendor', products: ['dynamics_365'] }), 201);
    expect(byHand).toMatchObject({ origin: 'manual', subscriptionIds: [dynamics.id], status: 'active' });
    const invoice = await putWarnedInvoice(stack, customer.id, '2026-11-01', '300.00');
    await settled(stack);

    const [suspension] = (await suspensionsOf(customer.id)).filter((s: { origin: string }) => s.origin === 'collections');
    expect(suspension).toMatchObject({ products: ['azure', 'microsoft_365'], invoices: [invoice.number], policyVersion: 1, step: 2, restoreRequires: 'overdue' });
    expect(suspension.subscriptionIds.sort()).toEqual([azure.id, m365.id].sort());
    expect(await delivered(suspension.id)).toMatchObject({ status: 'delivered', event: 'subscription.suspend' });
    const [suspend] = receiver.for(suspension.id);
    expect(suspend.verified).toBe(true);
    expect(suspend.headers['webhook-id']).toBe(suspension.id);
    expect(Number(suspend.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(suspend.body).toMatchObject({
      type: 'subscription.suspend',
      data: { suspensionId: suspension.id, origin: 'collections', customer: { id: customer.id }, invoices: [invoice.number], policyVersion: 1, step: 2 },
    });
    expect(suspend.body.data.subscriptions.map((s: { id: string }) => s.id).sort()).toEqual([azure.id, m365.id].sort());
    expect(suspend.body.data.subscriptions[0]).toEqual(expect.objectContaining({ vendorSubscriptionId: expect.any(String), tenantId: 'cliente.onmicrosoft.com' }));
    expect(receiver.for(byHand.id)[0].body.type).toBe('subscription.suspend');
    expect(await statuses(customer.id)).toEqual({ azure: 'suspended', microsoft_365: 'suspended', dynamics_365: 'suspended', other: 'active' });
    const view = await expectStatus(call('get', `/customers/${customer.id}/billing`), 200);
    expect(view.status).toMatchObject({ state: 'suspended', suspendedProducts: ['azure', 'dynamics_365', 'microsoft_365'] });

    // Cancelled while suspended: a restore leaves it cancelled.
    await expectStatus(call('patch', `/subscriptions/${m365.id}`, { status: 'cancelled', reason: 'Customer dropped Microsoft 365' }), 200);
    // A partial payment leaves something overdue: nothing is restored.
    await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '100.00', currency: 'EUR', reference: 'PART-1' }), 201);
    expect((await suspensionsOf(customer.id)).map((s: { status: string }) => s.status)).toEqual(['active', 'active']);
    await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '200.00', currency: 'EUR', reference: 'PART-2' }), 201);
    const restored = (await suspensionsOf(customer.id)).find((s: { id: string }) => s.id === suspension.id);
    expect(restored).toMatchObject({ status: 'restored', restoreId: expect.any(String), endedBy: { kind: 'staff', id: stack.admin.id } });
    expect(await delivered(restored.restoreId)).toMatchObject({ status: 'delivered', event: 'subscription.resume' });
    const resumes = receiver.for(restored.restoreId);
    expect(resumes).toHaveLength(1);
    expect(resumes[0].verified).toBe(true);
    expect(resumes[0].body).toMatchObject({ type: 'subscription.resume', data: { suspensionId: suspension.id, restoreId: restored.restoreId } });
    expect(resumes[0].body.data.subscriptions.map((s: { id: string }) => s.id)).toEqual([azure.id]);
    expect(await statuses(customer.id)).toEqual({ azure: 'active', microsoft_365: 'cancelled', dynamics_365: 'suspended', other: 'active' });
    const history = (await expectStatus(call('get', `/subscriptions/${azure.id}`), 200)).history.map((h: { to: string }) => h.to);
    expect(history).toEqual(['active', 'suspended', 'active']);

    // Exactly once: the same payment again, the same invoice again, another run — nothing more.
    await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '200.00', currency: 'EUR', reference: 'PART-2' }), 200);
    await runDunning(stack);
    await settled(stack);
    expect(receiver.requests.filter((r) => r.body.data.suspensionId === suspension.id)).toHaveLength(2);
    const types = await timelineTypes(stack, customer.id);
    expect(types.filter((t) => t === 'subscriptions_restored')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['suspension_created', 'suspension_delivered', 'payment_recorded', 'invoice_paid', 'subscriptions_restored', 'restore_delivered']));

    // The hand-made suspension comes back only by hand.
    const handRestore = await expectStatus(call('post', `/suspensions/${byHand.id}/restore`, { reason: 'Vendor closed the abuse case' }), 200);
    expect(handRestore).toMatchObject({ status: 'restored', endedReason: 'Vendor closed the abuse case' });
    await delivered(handRestore.restoreId);
    expect(receiver.for(handRestore.restoreId)[0].body.data.subscriptions.map((s: { id: string }) => s.id)).toEqual([dynamics.id]);
    expect((await call('post', `/suspensions/${byHand.id}/restore`, { reason: 'again' })).status).toBe(409);
    // The report's counts (kept by a trigger on subscriptions) follow every one of these changes.
    const report = await expectStatus(call('get', '/reports/receivables'), 200);
    const [direct] = await stack.api.dataSource.query(`SELECT count(*)::int AS subscriptions, count(DISTINCT customer_id)::int AS customers FROM subscriptions WHERE status = 'suspended'`);
    expect({ subscriptions: report.subscriptionsSuspended, customers: report.customersSuspended }).toEqual(direct);
    expect((await call('post', `/suspensions/${byHand.id}/restore`, {})).body.errors[0].field).toBe('reason');
  });

  it('retries a failing receiver with backoff (same webhook-id, fresh signature), keeps every attempt, and a failed delivery can be retried', async () => {
    receiver.plan({ status: 500 }, { status: 503 });
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'azure');
    await putWarnedInvoice(stack, customer.id, '2026-11-01', '50.00');
    await settled(stack);
    const [suspension] = await suspensionsOf(customer.id);
    const done = await delivered(suspension.id);
    expect(done.status).toBe('delivered');
    expect(done.attempts.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([500, 503, 204]);
    expect(done.attempts[0].error).toBe('HTTP 500 Internal Server Error');
    const requests = receiver.for(suspension.id);
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.verified)).toBe(true);
    expect(new Set(requests.map((r) => r.raw)).size).toBe(1);
    // base 50 ms, exponential, jittered to 50–100 %: the 1st wait is at least 25 ms, the 2nd at least 50 ms
    // (timers never fire early; allow 5 ms for clock granularity).
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(20);
    expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(45);

    receiver.plan({ status: 502 }, 'hang', { status: 410 });
    const other = await billedCustomer(stack);
    await addSubscription(stack, other.id, 'microsoft_365');
    await putWarnedInvoice(stack, other.id, '2026-11-01', '50.00');
    await settled(stack);
    const [failing] = await suspensionsOf(other.id);
    const failed = await delivered(failing.id);
    expect(failed).toMatchObject({ status: 'failed', lastError: 'HTTP 410 Gone' });
    expect(failed.attempts.map((a: { httpStatus: number | null; error: string }) => [a.httpStatus, a.error])).toEqual([
      [502, 'HTTP 502 Bad Gateway'],
      [null, 'timed out after 500 ms'],
      [410, 'HTTP 410 Gone'],
    ]);
    expect(await timelineTypes(stack, other.id)).toContain('suspension_delivery_failed');
    expect((await call('post', `/provisioning-actions/${failing.id}/retry`, undefined, stack.sales.token)).status).toBe(403);
    expect((await call('post', `/provisioning-actions/${failing.id}/retry`)).status).toBe(202);
    expect(await delivered(failing.id)).toMatchObject({ status: 'delivered', lastError: null });
    expect(receiver.for(failing.id)).toHaveLength(4);
    expect((await call('post', `/provisioning-actions/${failing.id}/retry`)).status).toBe(409);
    await settled(stack);
  });

  it('lets a payment recorded before the delivery win: the suspension is cancelled in that transaction and never delivered', async () => {
    const queue = queueOf(stack, QueueName.BillingProvisioning);
    await queue.pause();
    try {
      const customer = await billedCustomer(stack);
      const azure = await addSubscription(stack, customer.id, 'azure');
      const invoice = await putWarnedInvoice(stack, customer.id, '2026-11-01', '75.00');
      await eventually(() => suspensionsOf(customer.id), (s) => s.length === 1);
      const [suspension] = await suspensionsOf(customer.id);
      await eventually(() => queue.getJob(suspension.id), (j) => j !== undefined);
      expect(await statuses(customer.id)).toEqual({ azure: 'suspended' });
      await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '75.00', currency: 'EUR', reference: 'PAID-FIRST' }), 201);
      const after = await expectStatus(call('get', `/suspensions/${suspension.id}`), 200);
      expect(after).toMatchObject({ status: 'cancelled', restoreId: null });
      expect(after.provisioning).toEqual([expect.objectContaining({ kind: 'suspend', status: 'cancelled', attempts: [] })]);
      expect(await statuses(customer.id)).toEqual({ azure: 'active' });
      expect((await expectStatus(call('get', `/subscriptions/${azure.id}`), 200)).history.map((h: { reason: string }) => h.reason)[2]).toMatch(/cancelled before provisioning applied it/);
      await queue.resume();
      expect(await jobFinished(stack, QueueName.BillingProvisioning, suspension.id)).toBe('skipped');
      expect(receiver.for(suspension.id)).toEqual([]);
      expect(await timelineTypes(stack, customer.id)).toContain('suspension_cancelled');
    } finally {
      await queue.resume();
    }
  });

  it('makes a payment that arrives during a delivery wait for it, then restores what was just suspended', async () => {
    receiver.plan({ status: 204, delayMs: 400 });
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'azure');
    const invoice = await putWarnedInvoice(stack, customer.id, '2026-11-01', '75.00');
    await eventually(async () => receiver.requests.filter((r) => r.body.data.customer.id === customer.id).length, (n) => n === 1);
    const paid = await call('post', `/invoices/${invoice.number}/payments`, { amount: '75.00', currency: 'EUR', reference: 'DURING' });
    expect(paid.status).toBe(201);
    const [suspension] = await suspensionsOf(customer.id);
    // The delivery finished first (it held the customer's lock); the payment then restored.
    expect(suspension.status).toBe('restored');
    await delivered(suspension.restoreId);
    expect(receiver.requests.filter((r) => r.body.data.customer.id === customer.id).map((r) => r.body.type)).toEqual(['subscription.suspend', 'subscription.resume']);
    expect(await statuses(customer.id)).toEqual({ azure: 'active' });
  });

  it('never leaves a customer who paid suspended when runs and payments race', async () => {
    stack.setClock('2026-12-12T12:00:00Z');
    const customers: Array<{ id: string; number: string }> = [];
    await expectStatus(call('put', '/billing/provisioning', { delivery: 'manual' }), 200);
    for (let i = 0; i < 12; i++) {
      const c = await billedCustomer(stack);
      await addSubscription(stack, c.id, 'azure');
      // Warned on Nov 16 (its final notice); the run below suspends it, 15 days after that notice or more.
      customers.push({ id: c.id, number: (await putWarnedInvoice(stack, c.id, '2026-11-01', '40.00', undefined, { check: false })).number });
    }
    await settled(stack);
    await useWebhook(stack, receiver, 500);
    await stack.api.dataSource.query(`UPDATE billing_accounts SET paused_until = NULL, pause_reason = NULL WHERE customer_id = ANY($1::uuid[])`, [customers.map((c) => c.id)]);
    const [run, ...payments] = await Promise.all([
      runDunning(stack),
      ...customers.map((c, i) => call('post', `/invoices/${c.number}/payments`, { amount: '40.00', currency: 'EUR', reference: `RACE-${i}` })),
    ]);
    expect(run.status).toBe('completed');
    expect(payments.map((p) => p.status)).toEqual(customers.map(() => 201));
    await settled(stack);
    for (const c of customers) {
      expect(await statuses(c.id)).toEqual({ azure: 'active' });
      for (const s of await suspensionsOf(c.id)) {
        const sent = receiver.for(s.id);
        // Cancelled: provisioning never heard of it. Restored: it was delivered before the payment, and resumed after.
        if (s.status === 'cancelled') expect(sent).toEqual([]);
        else {
          expect(s.status).toBe('restored');
          expect(receiver.for(s.restoreId)).toHaveLength(1);
          expect(receiver.for(s.restoreId)[0].at).toBeGreaterThanOrEqual(sent[sent.length - 1].at);
        }
      }
    }
  });
});
