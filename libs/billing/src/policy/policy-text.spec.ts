import { PolicyVersion } from './collections-policy';
import { policyText } from './policy-text';

const policy: PolicyVersion = {
  version: 2,
  effectiveOn: '2026-12-01',
  timezone: 'Europe/Madrid',
  steps: [
    { action: 'remind', days: 1, products: null, restoreRequires: null },
    { action: 'final_notice', days: 15, products: null, restoreRequires: null },
    { action: 'suspend', days: 30, products: ['azure', 'microsoft_365'], restoreRequires: 'overdue' },
  ],
  minimumAmounts: [{ currency: 'EUR', minor: 5000 }],
  createdAt: new Date('2026-12-01T09:00:00Z'),
};

describe('policyText', () => {
  it('publishes the policy in English', () => {
    const text = policyText(policy, 'en');
    expect(text.title).toBe('Collections policy (version 2)');
    expect(text.paragraphs).toEqual([
      'This policy applies to invoices falling due on or after 2026-12-01 (and to earlier ones if it is the first version). Dates are counted in the Europe/Madrid time zone.',
      '1 day after the due date: we send you a payment reminder.',
      '15 days after the due date: we send you a final notice before any suspension.',
      '30 days after the due date: we suspend access to your Azure and Microsoft 365 subscriptions; we restore access once the overdue amount is paid.',
      'We never suspend without warning: if an invoice reaches us when several of these dates have passed, we send you only the latest notice due and do not suspend until 15 days after that notice. We also write to you when we suspend access and when we restore it.',
      'If the overdue amount is below €50.00, none of these steps is taken.',
      'While you have an open billing ticket disputing an invoice, we do not suspend your access.',
    ]);
  });

  it('publishes the policy in Spanish', () => {
    const text = policyText({ ...policy, steps: [{ action: 'suspend', days: 45, products: null, restoreRequires: 'full' }], minimumAmounts: [] }, 'es');
    expect(text.title).toBe('Política de cobro (versión 2)');
    expect(text.paragraphs).toEqual([
      'Esta política se aplica a las facturas que vencen a partir del 2026-12-01 (y a las anteriores si es la primera versión). Las fechas se cuentan en la zona horaria Europe/Madrid.',
      '45 días después del vencimiento: suspendemos el acceso a todas sus suscripciones; restablecemos el acceso cuando se paga todo el saldo pendiente.',
      'Mientras tenga abierta una incidencia de facturación que reclame una factura, no suspendemos su acceso.',
    ]);
  });

  it('tells in Spanish how long it waits after the final notice', () => {
    const text = policyText(policy, 'es');
    expect(text.paragraphs).toContain(
      'Nunca suspendemos sin avisar: si una factura nos llega cuando ya han pasado varios de estos plazos, le enviamos solo el último aviso que corresponda y no suspendemos hasta 15 días después de ese aviso. Le escribimos también cuando suspendemos el acceso y cuando lo restablecemos.',
    );
  });
});
