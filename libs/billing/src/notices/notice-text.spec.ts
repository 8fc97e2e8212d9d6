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
});
