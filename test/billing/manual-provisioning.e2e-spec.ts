import { addSubscription, billedCustomer, BillingStack, caller, Call, expectStatus, POLICY, putWarnedInvoice, settled, startBilling, timelineTypes } from './support';

describe('manual provisioning: a task list billing_admin confirms one by one', () => {
  let stack: BillingStack;
  let call: Call;
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
    stack.setClock('2026-12-10T12:00:00Z');
    await expectStatus(call('put', '/collections-policy', POLICY), 200);
    expect(await expectStatus(call('get', '/billing/provisioning'), 200)).toMatchObject({ delivery: 'manual', webhookUrl: null, hasSecret: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const tasks = async (customerId: string) =>
    (await expectStatus(call('get', `/provisioning-actions?mode=manual&customerId=${customerId}`), 200)).items as Array<{ id: string; kind: string; status: string; subscriptions: Array<{ id: string }> }>;

  it('lists each suspension and restore as a task; confirming records who did it; a task is confirmed once', async () => {
    const customer = await billedCustomer(stack);
    const azure = await addSubscription(stack, customer.id, 'azure');
    const invoice = await putWarnedInvoice(stack, customer.id, '2026-11-01', '90.00');
    await settled(stack);
    const [task] = await tasks(customer.id);
    expect(task).toMatchObject({ kind: 'suspend', status: 'pending', subscriptions: [expect.objectContaining({ id: azure.id, product: 'azure' })] });
    const pending = await expectStatus(call('get', '/provisioning-actions?mode=manual&status=pending'), 200);
    expect(pending.items.map((t: { id: string }) => t.id)).toContain(task.id);

    expect((await call('post', `/provisioning-actions/${task.id}/confirm`, { note: 'done' }, stack.sales.token)).status).toBe(403);
    const confirmed = await expectStatus(call('post', `/provisioning-actions/${task.id}/confirm`, { note: 'Suspended in Partner Center' }), 200);
    expect(confirmed).toMatchObject({ status: 'confirmed', note: 'Suspended in Partner Center', confirmedBy: { kind: 'staff', id: stack.admin.id } });
    expect((await call('post', `/provisioning-actions/${task.id}/confirm`, {})).status).toBe(409);
    expect((await call('post', `/provisioning-actions/${task.id}/retry`)).status).toBe(409);

    await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '90.00', currency: 'EUR', reference: 'M-1' }), 201);
    const [resume] = (await tasks(customer.id)).filter((t) => t.kind === 'resume');
    expect(resume).toMatchObject({ status: 'pending', subscriptions: [expect.objectContaining({ id: azure.id })] });
    await expectStatus(call('post', `/provisioning-actions/${resume.id}/confirm`, {}), 200);
    expect(await timelineTypes(stack, customer.id)).toEqual(expect.arrayContaining(['suspension_confirmed', 'subscriptions_restored', 'restore_confirmed']));
  });

  it('cancels a task nobody confirmed when the customer pays first, and refuses a late confirmation with the reason', async () => {
    const customer = await billedCustomer(stack);
    await addSubscription(stack, customer.id, 'microsoft_365');
    const invoice = await putWarnedInvoice(stack, customer.id, '2026-11-01', '90.00');
    await settled(stack);
    const [task] = await tasks(customer.id);
    await expectStatus(call('post', `/invoices/${invoice.number}/payments`, { amount: '90.00', currency: 'EUR', reference: 'M-2' }), 201);
    const tasksAfter = await tasks(customer.id);
    expect(tasksAfter).toEqual([expect.objectContaining({ id: task.id, kind: 'suspend', status: 'cancelled' })]);
    const late = await call('post', `/provisioning-actions/${task.id}/confirm`, {});
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/the customer paid before it was applied/);
    const [subscription] = await expectStatus(call('get', `/customers/${customer.id}/subscriptions`), 200);
    expect(subscription.status).toBe('active');
  });

  it('validates the settings: a webhook needs an http(s) URL the client may reach and a whsec_ secret, never shown again', async () => {
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    for (const [body, field] of [
      [{ delivery: 'webhook' }, 'webhookUrl'],
      [{ delivery: 'webhook', webhookUrl: 'https://p.example/hook' }, 'secret'],
      [{ delivery: 'webhook', webhookUrl: 'https://p.example/hook', secret: 'plain-secret-0123456789' }, 'secret'],
      [{ delivery: 'webhook', webhookUrl: 'ftp://p.example/hook', secret: 'whsec_x' }, 'webhookUrl'],
      // Cloud metadata is refused even where private targets are allowed (these tests allow them).
      [{ delivery: 'webhook', webhookUrl: 'http://169.254.169.254/latest/meta-data', secret }, 'webhookUrl'],
      [{ delivery: 'manual', webhookUrl: 'https://p.example/hook' }, 'delivery'],
      [{ delivery: 'email' }, 'delivery'],
    ] as const) {
      const refused = await call('put', '/billing/provisioning', body);
      expect([body, refused.status, refused.body.errors?.[0]?.field]).toEqual([body, 400, field]);
    }
    const set = await expectStatus(call('put', '/billing/provisioning', { delivery: 'webhook', webhookUrl: 'https://p.example/hook', secret }), 200);
    expect(set).toEqual({ delivery: 'webhook', webhookUrl: 'https://p.example/hook', hasSecret: true, timeoutMs: 10000, updatedAt: expect.any(String) });
    expect(JSON.stringify(await expectStatus(call('get', '/billing/provisioning'), 200))).not.toContain('whsec_');
    // The secret is kept when a later PUT leaves it out.
    expect((await expectStatus(call('put', '/billing/provisioning', { delivery: 'webhook', webhookUrl: 'https://p.example/other' }), 200)).hasSecret).toBe(true);
    await expectStatus(call('put', '/billing/provisioning', { delivery: 'manual' }), 200);
  });
});
