import { displayAmount } from '../money/money';
import { PolicyStep, PolicyVersion, Product, warningBefore } from './collections-policy';

export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];

export const PRODUCT_NAMES: Record<Locale, Record<Product, string>> = {
  en: { azure: 'Azure', microsoft_365: 'Microsoft 365', dynamics_365: 'Dynamics 365', other: 'other products' },
  es: { azure: 'Azure', microsoft_365: 'Microsoft 365', dynamics_365: 'Dynamics 365', other: 'otros productos' },
};

const list = (items: string[], locale: Locale): string => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);

function products(step: PolicyStep, locale: Locale): string {
  if (step.products === null) return locale === 'es' ? 'todas sus suscripciones' : 'all your subscriptions';
  const names = list(step.products.map((p) => PRODUCT_NAMES[locale][p]), locale);
  return locale === 'es' ? `sus suscripciones de ${names}` : `your ${names} subscriptions`;
}

function stepText(step: PolicyStep, locale: Locale): string {
  const days = locale === 'es' ? `${step.days} ${step.days === 1 ? 'día' : 'días'} después del vencimiento` : `${step.days} ${step.days === 1 ? 'day' : 'days'} after the due date`;
  switch (step.action) {
    case 'remind':
      return locale === 'es' ? `${cap(days)}: le enviamos un recordatorio de pago.` : `${cap(days)}: we send you a payment reminder.`;
    case 'final_notice':
      return locale === 'es' ? `${cap(days)}: le enviamos un último aviso antes de suspender el servicio.` : `${cap(days)}: we send you a final notice before any suspension.`;
    case 'suspend': {
      const restore =
        step.restoreRequires === 'full'
          ? locale === 'es'
            ? 'restablecemos el acceso cuando se paga todo el saldo pendiente'
            : 'we restore access once your whole outstanding balance is paid'
          : locale === 'es'
            ? 'restablecemos el acceso cuando se paga el importe vencido'
            : 'we restore access once the overdue amount is paid';
      return locale === 'es'
        ? `${cap(days)}: suspendemos el acceso a ${products(step, locale)}; ${restore}.`
        : `${cap(days)}: we suspend access to ${products(step, locale)}; ${restore}.`;
    }
  }
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The published collections policy in the customer's language: the steps in order, the minimum
 * amount below which nothing happens, and the dispute grace.
 */
export function policyText(policy: PolicyVersion, locale: Locale): { title: string; paragraphs: string[] } {
  const paragraphs: string[] = [];
  paragraphs.push(
    locale === 'es'
      ? `Esta política se aplica a las facturas que vencen a partir del ${policy.effectiveOn} (y a las anteriores si es la primera versión). Las fechas se cuentan en la zona horaria ${policy.timezone}.`
      : `This policy applies to invoices falling due on or after ${policy.effectiveOn} (and to earlier ones if it is the first version). Dates are counted in the ${policy.timezone} time zone.`,
  );
  for (const step of policy.steps) paragraphs.push(stepText(step, locale));
  const firstSuspend = policy.steps.findIndex((s) => s.action === 'suspend');
  const warning = firstSuspend >= 0 ? warningBefore(policy.steps, firstSuspend) : null;
  if (warning) {
    const days = locale === 'es' ? `${warning.noticeDays} ${warning.noticeDays === 1 ? 'día' : 'días'}` : `${warning.noticeDays} ${warning.noticeDays === 1 ? 'day' : 'days'}`;
    paragraphs.push(
      locale === 'es'
        ? `Nunca suspendemos sin avisar: si una factura nos llega cuando ya han pasado varios de estos plazos, le enviamos solo el último aviso que corresponda y no suspendemos hasta ${days} después de ese aviso. Le escribimos también cuando suspendemos el acceso y cuando lo restablecemos.`
        : `We never suspend without warning: if an invoice reaches us when several of these dates have passed, we send you only the latest notice due and do not suspend until ${days} after that notice. We also write to you when we suspend access and when we restore it.`,
    );
  }
  if (policy.minimumAmounts.length > 0) {
    const amounts = list(policy.minimumAmounts.map((m) => displayAmount(m.minor, m.currency, locale)), locale);
    paragraphs.push(
      locale === 'es'
        ? `Si el importe vencido es inferior a ${amounts}, no se aplica ninguno de estos pasos.`
        : `If the overdue amount is below ${amounts}, none of these steps is taken.`,
    );
  }
  if (policy.steps.some((s) => s.action === 'suspend')) {
    paragraphs.push(
      locale === 'es'
        ? 'Mientras tenga abierta una incidencia de facturación que reclame una factura, no suspendemos su acceso.'
        : 'While you have an open billing ticket disputing an invoice, we do not suspend your access.',
    );
  }
  return { title: locale === 'es' ? `Política de cobro (versión ${policy.version})` : `Collections policy (version ${policy.version})`, paragraphs };
}
