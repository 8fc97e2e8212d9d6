import { noticeText } from '@helpdesk/billing';
import type { MailLocale } from '../outbound/notification-templates';
import { notificationValues } from '../outbound/notification-templates';
import { billingNoticeValues } from '../outbound/billing-notice-compose';
import { planSummary } from '../outbound/plan-summary';
import type { TemplateKind } from './mail-template-catalogue';

const WEEKDAYS = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' }));
const TARGET = { firstResponseMinutes: 240, resolutionMinutes: 1440 };
const SAMPLE_PLAN = { name: 'Oro / Gold', timezone: 'Europe/Madrid', businessHours: WEEKDAYS, holidays: [], targets: { P1: TARGET, P2: TARGET, P3: TARGET, P4: TARGET } };

const SAMPLE = {
  es: { subject: 'La VPN no conecta', name: 'Marta López', reply: 'Hemos reiniciado el túnel; pruebe de nuevo, por favor.', agent: 'Ana García', noticeSubject: 'Recordatorio de pago', noticeBody: 'La factura FAC-2026-0042, de 250,00 €, venció el 1 de diciembre de 2026.' },
  en: { subject: 'VPN does not connect', name: 'John Smith', reply: 'We restarted the tunnel; please try again.', agent: 'Ana García', noticeSubject: 'Payment reminder', noticeBody: 'Invoice INV-2026-0042 of €250.00 was due on December 1, 2026.' },
} as const;

/** Made-up facts in `locale` that fill a template for its preview (the plan's wording comes from the same code as a real mail). */
export function sampleValues(kind: TemplateKind, locale: MailLocale): Record<string, string> {
  const s = SAMPLE[locale];
  if (kind === 'billing_notice') return billingNoticeValues({ recipient: { name: s.name, email: 'billing@example.com' }, subject: s.noticeSubject, body: s.noticeBody });
  if (kind === 'suspension_notice' || kind === 'restoration_notice') {
    const facts = { kind: kind === 'suspension_notice' ? ('suspension' as const) : ('restoration' as const), invoiceNumbers: [locale === 'es' ? 'FAC-2026-0042' : 'INV-2026-0042'], amountDue: 25_000, currency: 'EUR', products: ['azure' as const] };
    return billingNoticeValues({ recipient: { name: s.name, email: 'billing@example.com' }, ...noticeText(facts, locale) });
  }
  return notificationValues(locale, { number: 'HD-000123', subject: s.subject, requesterName: s.name, reply: s.reply, agentName: s.agent, plan: planSummary(SAMPLE_PLAN, 'P2', locale) });
}
