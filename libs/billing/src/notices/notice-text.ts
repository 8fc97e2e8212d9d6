import { displayAmount } from '../money/money';
import { Locale } from '../policy/policy-text';

export interface NoticeFacts {
  kind: 'remind' | 'final_notice';
  invoiceNumbers: string[];
  amountDue: number;
  currency: string;
}

/** What a customer reads (portal now, e-mail once that channel exists), in its language. */
export function noticeText(notice: NoticeFacts, locale: Locale): { subject: string; body: string } {
  const amount = displayAmount(notice.amountDue, notice.currency, locale);
  const invoices = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(notice.invoiceNumbers);
  if (locale === 'es') {
    return notice.kind === 'remind'
      ? { subject: 'Recordatorio de pago', body: `Tiene pendiente de pago ${amount} de las facturas ${invoices}, ya vencidas. Por favor, realice el pago lo antes posible.` }
      : {
          subject: 'Último aviso antes de la suspensión',
          body: `Sigue pendiente de pago ${amount} de las facturas ${invoices}. Si no recibimos el pago, suspenderemos el servicio según nuestra política de cobro.`,
        };
  }
  return notice.kind === 'remind'
    ? { subject: 'Payment reminder', body: `${amount} is overdue on invoices ${invoices}. Please pay as soon as possible.` }
    : { subject: 'Final notice before suspension', body: `${amount} is still overdue on invoices ${invoices}. Unless we receive payment, we will suspend service as our collections policy states.` };
}
