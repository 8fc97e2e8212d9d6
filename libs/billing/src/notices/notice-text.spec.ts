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
});
