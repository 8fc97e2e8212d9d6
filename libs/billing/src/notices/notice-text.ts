import { displayAmount } from '../money/money';
import { Locale } from '../policy/policy-text';

export interface NoticeFacts {
  kind: 'remind' | 'final_notice';
  invoiceNumbers: string[];
  amountDue: number;
  currency: string;
}

/** What a customer reads (portal and e-mail), in its language; one invoice or several. */
export function noticeText(notice: NoticeFacts, locale: Locale): { subject: string; body: string } {
  const amount = displayAmount(notice.amountDue, notice.currency, locale);
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(notice.invoiceNumbers);
  const one = notice.invoiceNumbers.length === 1;
  const invoices = locale === 'es' ? `${one ? 'la factura' : 'las facturas'} ${list}` : `${one ? 'invoice' : 'invoices'} ${list}`;
  if (locale === 'es') {
    return notice.kind === 'remind'
      ? { subject: 'Recordatorio de pago', body: `Tiene pendiente de pago ${amount} de ${invoices}, ${one ? 'ya vencida' : 'ya vencidas'}. Por favor, realice el pago lo antes posible.` }
      : {
          subject: 'Último aviso antes de la suspensión',
          body: `Sigue pendiente de pago ${amount} de ${invoices}. Si no recibimos el pago, suspenderemos el servicio según nuestra política de cobro.`,
        };
  }
  return notice.kind === 'remind'
    ? { subject: 'Payment reminder', body: `${amount} is overdue on ${invoices}. Please pay as soon as possible.` }
    : { subject: 'Final notice before suspension', body: `${amount} is still overdue on ${invoices}. Unless we receive payment, we will suspend service as our collections policy states.` };
}
