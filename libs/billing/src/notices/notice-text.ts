import { displayAmount } from '../money/money';
import { Product } from '../policy/collections-policy';
import { Locale, PRODUCT_NAMES } from '../policy/policy-text';

export const NOTICE_KINDS = ['remind', 'final_notice', 'suspension', 'restoration'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NoticeFacts {
  kind: NoticeKind;
  invoiceNumbers: string[];
  amountDue: number;
  currency: string;
  /** suspension and restoration: the products of the subscriptions it held (null: none recorded). */
  products?: Product[] | null;
}

const productList = (products: readonly Product[] | null | undefined, locale: Locale): string => {
  const names = [...new Set(products ?? [])].map((p) => PRODUCT_NAMES[locale][p]);
  if (names.length === 0) return locale === 'es' ? 'sus suscripciones' : 'your subscriptions';
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names);
  return locale === 'es' ? `sus suscripciones de ${list}` : `your ${list} subscriptions`;
};

/** What a customer reads (portal and e-mail), in its language; one invoice or several. */
export function noticeText(notice: NoticeFacts, locale: Locale): { subject: string; body: string } {
  const amount = displayAmount(notice.amountDue, notice.currency, locale);
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(notice.invoiceNumbers);
  const one = notice.invoiceNumbers.length === 1;
  const invoices = locale === 'es' ? `${one ? 'la factura' : 'las facturas'} ${list}` : `${one ? 'invoice' : 'invoices'} ${list}`;
  const products = productList(notice.products, locale);
  if (locale === 'es') {
    switch (notice.kind) {
      case 'remind':
        return { subject: 'Recordatorio de pago', body: `Tiene pendiente de pago ${amount} de ${invoices}, ${one ? 'ya vencida' : 'ya vencidas'}. Por favor, realice el pago lo antes posible.` };
      case 'final_notice':
        return {
          subject: 'Último aviso antes de la suspensión',
          body: `Sigue pendiente de pago ${amount} de ${invoices}. Si no recibimos el pago, suspenderemos el servicio según nuestra política de cobro.`,
        };
      case 'suspension':
        return {
          subject: 'Servicio suspendido por falta de pago',
          body: `Hemos suspendido el acceso a ${products} porque sigue pendiente de pago ${amount} de ${invoices}. En cuanto recibamos el pago, restableceremos el acceso.`,
        };
      case 'restoration':
        return { subject: 'Servicio restablecido', body: `Hemos restablecido el acceso a ${products}, que suspendimos por falta de pago de ${invoices}. Ya puede volver a usarlas con normalidad.` };
    }
  }
  switch (notice.kind) {
    case 'remind':
      return { subject: 'Payment reminder', body: `${amount} is overdue on ${invoices}. Please pay as soon as possible.` };
    case 'final_notice':
      return { subject: 'Final notice before suspension', body: `${amount} is still overdue on ${invoices}. Unless we receive payment, we will suspend service as our collections policy states.` };
    case 'suspension':
      return {
        subject: 'Service suspended for non-payment',
        body: `We have suspended access to ${products} because ${amount} is still overdue on ${invoices}. As soon as we receive payment, we will restore access.`,
      };
    case 'restoration':
      return { subject: 'Service restored', body: `We have restored access to ${products}, which we suspended for non-payment of ${invoices}. You can use them as usual again.` };
  }
}
