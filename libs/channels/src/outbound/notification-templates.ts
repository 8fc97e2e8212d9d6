import { BUILT_IN_TEMPLATES, MailTemplate } from '../templates/mail-template-catalogue';
import { renderMail } from '../templates/mail-template-render';
import { oneLine } from './one-line';
import type { PlanSummary } from './plan-summary';

export type MailLocale = 'es' | 'en';
export type NotificationKind = 'ticket_received' | 'public_reply' | 'waiting_on_customer' | 'resolved';

export interface NotificationFacts {
  number: string;
  subject: string;
  requesterName: string;
  /** The agent's public comment (public_reply). */
  reply?: string;
  agentName?: string | null;
  /** The customer's plan: hours, holidays, targets for the ticket's priority (ticket_received). */
  plan?: PlanSummary | null;
}

export { oneLine } from './one-line';

/**
 * The subject and plain text of a customer notification in `locale`: the admin's template when
 * there is one, the built-in otherwise, filled with the facts (control characters stripped from
 * what the customer wrote). `[HD-000123]` is in every built-in subject so replies find their ticket.
 */
export function composeNotification(kind: NotificationKind, locale: MailLocale, f: NotificationFacts, template: MailTemplate = BUILT_IN_TEMPLATES[kind][locale]): { subject: string; body: string } {
  return renderMail(template, notificationValues(locale, f));
}

/** The values of the placeholders of the ticket notifications (each kind prints some of them). */
export function notificationValues(locale: MailLocale, f: NotificationFacts): Record<string, string> {
  const plan = f.plan;
  return {
    'ticket.number': f.number,
    'ticket.subject': oneLine(f.subject),
    'recipient.name': oneLine(f.requesterName, 100),
    'reply.body': f.reply ?? '',
    // A reply's author is always a stored agent; the fallback only keeps the signature readable.
    'agent.name': f.agentName ? oneLine(f.agentName, 100) : locale === 'es' ? 'Equipo' : 'Team',
    'plan.summary': planText(plan, locale),
    'plan.name': plan ? oneLine(plan.planName, 100) : '',
    'plan.hours': plan?.hours ?? '',
    'plan.firstResponse': plan?.firstResponse ?? '',
    'plan.resolution': plan?.resolution ?? '',
  };
}

const PLAN_WORDS: Record<MailLocale, { plan: string; hours: string; closed: string; firstResponse: string; resolution: string; within: string; businessTime: string }> = {
  es: {
    plan: 'Su plan de soporte',
    hours: 'Horario de atención',
    closed: 'Cerrado los días',
    firstResponse: 'Primera respuesta para la prioridad',
    resolution: 'Resolución para la prioridad',
    within: 'en un plazo de',
    businessTime: 'Los plazos cuentan solo el horario de atención.',
  },
  en: {
    plan: 'Your support plan',
    hours: 'Hours of service',
    closed: 'Closed on',
    firstResponse: 'First response for priority',
    resolution: 'Resolution for priority',
    within: 'within',
    businessTime: 'Targets count the hours of service only.',
  },
};

/** The plan's paragraph of an acknowledgement (empty without a plan). */
export function planText(plan: PlanSummary | null | undefined, locale: MailLocale): string {
  if (!plan) return '';
  const w = PLAN_WORDS[locale];
  const lines = [
    `${w.plan} (${oneLine(plan.planName, 100)}):`,
    `- ${w.hours}: ${plan.hours}`,
    ...(plan.holidays.length > 0 ? [`- ${w.closed}: ${plan.holidays.join('; ')}`] : []),
    `- ${w.firstResponse} ${plan.priority}: ${w.within} ${plan.firstResponse}`,
    `- ${w.resolution} ${plan.priority}: ${w.within} ${plan.resolution}`,
    ...(plan.businessTime ? [w.businessTime] : []),
  ];
  return lines.join('\n');
}
