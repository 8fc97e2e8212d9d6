import { LocalDate } from '../calendar/partner-calendar';
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
  /**
   * suspension and restoration: the products of the subscriptions it held; a final notice: the
   * products its suspension step names (null: none recorded, or all of them).
   */
  products?: Product[] | null;
  /** The oldest due date of the invoices it lists (null: a notice from before it was recorded). */
  dueOn?: LocalDate | null;
  /** A final notice: the first partner date its suspension may be applied (null: none follows, or not recorded). */
  suspendOn?: LocalDate | null;
}

/** A partner date as a person reads it ("1 de octubre de 2026", "October 1, 2026"): a calendar day, no time zone shift. */
export const noticeDate = (date: LocalDate, locale: Locale): string =>
  new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

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
  const due = notice.dueOn ? noticeDate(notice.dueOn, locale) : null;
  const suspendOn = notice.suspendOn ? noticeDate(notice.suspendOn, locale) : null;
  if (locale === 'es') {
    const overdue = due ? (one ? `, vencida el ${due}` : `, la más antigua vencida el ${due}`) : one ? ', ya vencida' : ', ya vencidas';
    switch (notice.kind) {
      case 'remind':
        return { subject: 'Recordatorio de pago', body: `Tiene pendiente de pago ${amount} de ${invoices}${overdue}. Por favor, realice el pago lo antes posible.` };
      case 'final_notice':
        return {
          subject: 'Último aviso antes de la suspensión',
          body: suspendOn
            ? `Sigue pendiente de pago ${amount} de ${invoices}${overdue}. Si no recibimos el pago, a partir del ${suspendOn} suspenderemos el acceso a ${products}, según nuestra política de cobro.`
            : `Sigue pendiente de pago ${amount} de ${invoices}${due ? overdue : ''}. Si no recibimos el pago, suspenderemos el servicio según nuestra política de cobro.`,
        };
      case 'suspension':
        return {
          subject: 'Servicio suspendido por falta de pago',
          body: `Hemos suspendido el acceso a ${products} porque sigue pendiente de pago ${amount} de ${invoices}${due ? overdue : ''}. En cuanto recibamos el pago, restableceremos el acceso.`,
        };
      case 'restoration':
        return { subject: 'Servicio restablecido', body: `Hemos restablecido el acceso a ${products}, que suspendimos por falta de pago de ${invoices}. Ya puede volver a usarlas con normalidad.` };
    }
  }
  const overdue = due ? (one ? `, due on ${due}` : `, the oldest due on ${due}`) : '';
  switch (notice.kind) {
    case 'remind':
      return { subject: 'Payment reminder', body: `${amount} is overdue on ${invoices}${overdue}. Please pay as soon as possible.` };
    case 'final_notice':
      return {
        subject: 'Final notice before suspension',
        body: suspendOn
          ? `${amount} is still overdue on ${invoices}${overdue}. Unless we receive payment, we will suspend access to ${products} from ${suspendOn}, as our collections policy states.`
          : `${amount} is still overdue on ${invoices}${overdue}. Unless we receive payment, we will suspend service as our collections policy states.`,
      };
    case 'suspension':
      return {
        subject: 'Service suspended for non-payment',
        body: `We have suspended access to ${products} because ${amount} is still overdue on ${invoices}${overdue}. As soon as we receive payment, we will restore access.`,
      };
    case 'restoration':
      return { subject: 'Service restored', body: `We have restored access to ${products}, which we suspended for non-payment of ${invoices}. You can use them as usual again.` };
  }
}
