import { billedCustomer, BillingStack, caller, Call, expectStatus, putInvoice, settled, startBilling } from './support';

describe('collections policy: versioned, each invoice on the version in force when it fell due, published in the customer’s language', () => {
  let stack: BillingStack;
  let call: Call;
  beforeAll(async () => {
    stack = await startBilling();
    call = caller(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const appliedOf = async (number: string) =>
    (await expectStatus(call('get', `/invoices/${number}`), 200)).dunning.map((d: { action: string; policyVersion: number; step: number }) => `${d.action}@v${d.policyVersion}`);

  it('has no policy until one is published, and refuses a policy that breaks its rules, naming each field', async () => {
    expect((await call('get', '/collections-policy')).status).toBe(404);
    const shape = await call('put', '/collections-policy', { timezone: 'Europe/Madrid', steps: [{ action: 'warn', days: 0 }], minimumAmounts: [{ currency: 'EURO', amount: 5 }] });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['minimumAmounts.0.amount', 'minimumAmounts.0.currency', 'steps.0.action', 'steps.0.days']);
    const rules = await call('put', '/collections-policy', {
      timezone: 'Europe/Atlantis',
      steps: [
        { action: 'final_notice', days: 15, restoreRequires: 'full' },
        { action: 'remind', days: 3 },
        { action: 'suspend', days: 30, products: ['azure', 'azure'] },
      ],
      minimumAmounts: [{ currency: 'JPY', amount: '10.5' }],
    });
    expect(rules.status).toBe(400);
    expect(rules.body.errors.map((e: { field: string }) => e.field)).toEqual(['steps.2.products']);
    const cross = await call('put', '/collections-policy', {
      timezone: 'Europe/Atlantis',
      steps: [
        { action: 'final_notice', days: 15, restoreRequires: 'full' },
        { action: 'remind', days: 3 },
        { action: 'suspend', days: 30, products: 'all' },
      ],
      minimumAmounts: [{ currency: 'JPY', amount: '10.5' }],
    });
    expect(cross.body.errors.map((e: { field: string }) => e.field)).toEqual(['timezone', 'steps.0.restoreRequires', 'steps.1.days', 'steps.2.restoreRequires', 'minimumAmounts.0.amount']);
    expect((await call('put', '/collections-policy', { timezone: 'Europe/Madrid', steps: [] })).body.errors[0].field).toBe('steps');
    expect((await call('get', '/collections-policy')).status).toBe(404);
  });

  it('keeps each invoice on the version in force when it fell due; invoices due before the first follow the first', async () => {
    stack.setClock('2026-10-01T08:00:00Z');
    const v1 = await expectStatus(call('put', '/collections-policy', { timezone: 'Europe/Madrid', steps: [{ action: 'remind', days: 2 }] }), 200);
    expect(v1).toMatchObject({ version: 1, effectiveOn: '2026-10-01', timezone: 'Europe/Madrid', steps: [{ position: 0, action: 'remind', days: 2 }], minimumAmounts: [] });
    const customer = await billedCustomer(stack);
    const older = await putInvoice(stack, customer.id, '2026-08-01', '20.00');
    const b = await putInvoice(stack, customer.id, '2026-10-15', '20.00');
    await settled(stack);

    stack.setClock('2026-10-31T23:30:00Z'); // 00:30 on Nov 1 in Madrid: v2 is effective from Nov 1
    const v2 = await expectStatus(
      call('put', '/collections-policy', {
        timezone: 'Europe/Madrid',
        steps: [
          { action: 'remind', days: 10 },
          { action: 'final_notice', days: 20 },
        ],
      }),
      200,
    );
    expect(v2).toMatchObject({ version: 2, effectiveOn: '2026-11-01' });
    const c = await putInvoice(stack, customer.id, '2026-11-01', '20.00');
    const d = await putInvoice(stack, customer.id, '2026-11-05', '20.00');
    await settled(stack);
    expect(await appliedOf(older.number)).toEqual(['remind@v1']);
    expect(await appliedOf(b.number)).toEqual(['remind@v1']);

    stack.setClock('2026-11-24T12:00:00Z');
    await expectStatus(call('post', '/dunning/runs', {}), 202);
    await settled(stack);
    expect(await appliedOf(older.number)).toEqual(['remind@v1']);
    expect(await appliedOf(b.number)).toEqual(['remind@v1']);
    expect(await appliedOf(c.number)).toEqual(['remind@v2', 'final_notice@v2']);
    expect(await appliedOf(d.number)).toEqual(['remind@v2']);

    const versions = await expectStatus(call('get', '/collections-policy/versions'), 200);
    expect(versions.map((v: { version: number; effectiveOn: string }) => [v.version, v.effectiveOn])).toEqual([
      [1, '2026-10-01'],
      [2, '2026-11-01'],
    ]);
    expect((await expectStatus(call('get', '/collections-policy'), 200)).version).toBe(2);
  });

  it('publishes the policy in force to customers in their language, and to staff on request', async () => {
    stack.setClock('2026-12-01T10:00:00Z');
    await expectStatus(
      call('put', '/collections-policy', {
        timezone: 'Europe/Madrid',
        steps: [
          { action: 'remind', days: 3 },
          { action: 'final_notice', days: 15 },
          { action: 'suspend', days: 30, products: ['azure'], restoreRequires: 'full' },
        ],
        minimumAmounts: [{ currency: 'EUR', amount: '25.00' }],
      }),
      200,
    );
    const spanish = await billedCustomer(stack, { locale: 'es' });
    const english = await billedCustomer(stack, { locale: 'en' });
    const es = await expectStatus(call('get', '/collections-policy', undefined, spanish.token), 200);
    expect(es).toMatchObject({ version: 3, locale: 'es', title: 'Política de cobro (versión 3)' });
    expect(es.paragraphs).toEqual([
      expect.stringMatching(/^Esta política se aplica a las facturas que vencen a partir del 2026-12-01/),
      '3 días después del vencimiento: le enviamos un recordatorio de pago.',
      '15 días después del vencimiento: le enviamos un último aviso antes de suspender el servicio.',
      '30 días después del vencimiento: suspendemos el acceso a sus suscripciones de Azure; restablecemos el acceso cuando se paga todo el saldo pendiente.',
      'Nunca suspendemos sin avisar: si una factura nos llega cuando ya han pasado varios de estos plazos, le enviamos solo el último aviso que corresponda y no suspendemos hasta 15 días después de ese aviso. Le escribimos también cuando suspendemos el acceso y cuando lo restablecemos.',
      expect.stringMatching(/^Si el importe vencido es inferior a 25,00\s€, no se aplica ninguno de estos pasos\.$/),
      'Mientras tenga abierta una incidencia de facturación que reclame una factura, no suspendemos su acceso.',
    ]);
    const en = await expectStatus(call('get', '/collections-policy', undefined, english.token), 200);
    expect(en.paragraphs[3]).toBe('30 days after the due date: we suspend access to your Azure subscriptions; we restore access once your whole outstanding balance is paid.');
    const staffText = await expectStatus(call('get', '/collections-policy?locale=en'), 200);
    expect(staffText.paragraphs).toEqual(en.paragraphs);
    expect((await call('get', '/collections-policy?locale=fr', undefined, english.token)).body.errors[0].field).toBe('locale');
    expect((await call('put', '/collections-policy', { timezone: 'Europe/Madrid', steps: [{ action: 'remind', days: 1 }] }, english.token)).status).toBe(403);
  });
});
