import { noticeText } from './notice-text';

describe('noticeText', () => {
  const one = { kind: 'remind' as const, invoiceNumbers: ['FAC-1'], amountDue: 25_000, currency: 'EUR' };
  const two = { kind: 'final_notice' as const, invoiceNumbers: ['FAC-1', 'FAC-2'], amountDue: 40_050, currency: 'EUR' };

  it('names one invoice in the singular and several in the plural, in Spanish', () => {
    expect(noticeText(one, 'es').body).toMatch(/^Tiene pendiente de pago 250,00\s€ de la factura FAC-1, ya vencida\. /);
    expect(noticeText(two, 'es').body).toMatch(/^Sigue pendiente de pago 400,50\s€ de las facturas FAC-1 y FAC-2\. /);
  });

  it('and in English', () => {
    expect(noticeText(one, 'en')).toEqual({ subject: 'Payment reminder', body: expect.stringMatching(/^€250\.00 is overdue on invoice FAC-1\. /) });
    expect(noticeText(two, 'en').body).toMatch(/^€400\.50 is still overdue on invoices FAC-1 and FAC-2\. /);
  });

  it('tells of a suspension and of its end, naming the products, in both languages', () => {
    const suspension = { kind: 'suspension' as const, invoiceNumbers: ['FAC-1'], amountDue: 25_000, currency: 'EUR', products: ['azure' as const, 'microsoft_365' as const] };
    expect(noticeText(suspension, 'es')).toEqual({
      subject: 'Servicio suspendido por falta de pago',
      body: expect.stringMatching(/^Hemos suspendido el acceso a sus suscripciones de Azure y Microsoft 365 porque sigue pendiente de pago 250,00\s€ de la factura FAC-1\. /),
    });
    expect(noticeText(suspension, 'en')).toEqual({
      subject: 'Service suspended for non-payment',
      body: expect.stringMatching(/^We have suspended access to your Azure and Microsoft 365 subscriptions because €250\.00 is still overdue on invoice FAC-1\. /),
    });
    const restoration = { ...suspension, kind: 'restoration' as const, amountDue: 0, products: ['azure' as const] };
    expect(noticeText(restoration, 'es')).toEqual({ subject: 'Servicio restablecido', body: expect.stringMatching(/^Hemos restablecido el acceso a sus suscripciones de Azure, que suspendimos por falta de pago de la factura FAC-1\. /) });
    expect(noticeText({ ...restoration, products: null }, 'en').body).toMatch(/^We have restored access to your subscriptions, which we suspended for non-payment of invoice FAC-1\. /);
  });

  it('says when the invoice fell due and, on a final notice, from which day and what it suspends, in both languages', () => {
    const remind = { ...one, dueOn: '2026-10-01' };
    expect(noticeText(remind, 'es').body).toMatch(/^Tiene pendiente de pago 250,00\s€ de la factura FAC-1, vencida el 1 de octubre de 2026\. /);
    expect(noticeText(remind, 'en').body).toMatch(/^€250\.00 is overdue on invoice FAC-1, due on October 1, 2026\. /);
    const final = { ...two, dueOn: '2026-09-30', suspendOn: '2026-10-31', products: ['azure' as const] };
    expect(noticeText(final, 'es').body).toBe(
      'Sigue pendiente de pago 400,50\u00a0€ de las facturas FAC-1 y FAC-2, la más antigua vencida el 30 de septiembre de 2026. Si no recibimos el pago, a partir del 31 de octubre de 2026 suspenderemos el acceso a sus suscripciones de Azure, según nuestra política de cobro.',
    );
    expect(noticeText(final, 'en').body).toBe(
      '€400.50 is still overdue on invoices FAC-1 and FAC-2, the oldest due on September 30, 2026. Unless we receive payment, we will suspend access to your Azure subscriptions from October 31, 2026, as our collections policy states.',
    );
    // A step naming every product, and a date at a time zone's edge: the calendar day as recorded.
    expect(noticeText({ ...final, products: null, suspendOn: '2027-01-01' }, 'es').body).toMatch(/a partir del 1 de enero de 2027 suspenderemos el acceso a sus suscripciones,/);
    const suspension = { kind: 'suspension' as const, invoiceNumbers: ['FAC-1'], amountDue: 25_000, currency: 'EUR', products: ['azure' as const], dueOn: '2026-10-01' };
    expect(noticeText(suspension, 'es').body).toMatch(/250,00\s€ de la factura FAC-1, vencida el 1 de octubre de 2026\. En cuanto/);
  });
});
