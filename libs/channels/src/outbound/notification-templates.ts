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

/** No line breaks or other control characters reach a header from a customer's subject or name. */
export const oneLine = (text: string, max = 200): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);

/** The subject and plain text of each notification, per locale; `[HD-000123]` always in the subject so replies find their ticket. */
export function composeNotification(kind: NotificationKind, locale: MailLocale, f: NotificationFacts): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const name = oneLine(f.requesterName, 100);
  if (kind === 'ticket_received') {
    return locale === 'es'
      ? {
          subject: `[${f.number}] Hemos recibido su solicitud: ${subject}`,
          body: `Hola, ${name}:\n\nHemos recibido su solicitud "${subject}" y le hemos asignado el número ${f.number}. Un agente le responderá pronto.\n\n${planText(f.plan, 'es')}Para añadir información, responda a este correo manteniendo [${f.number}] en el asunto.\n\nEste es un mensaje automático.\n`,
        }
      : {
          subject: `[${f.number}] We received your request: ${subject}`,
          body: `Hello ${name},\n\nWe received your request "${subject}" and gave it the number ${f.number}. An agent will answer soon.\n\n${planText(f.plan, 'en')}To add anything, reply to this e-mail keeping [${f.number}] in the subject.\n\nThis is an automatic message.\n`,
        };
  }
  if (kind === 'waiting_on_customer') {
    return locale === 'es'
      ? {
          subject: `[${f.number}] Necesitamos su respuesta: ${subject}`,
          body: `Hola, ${name}:\n\nPara seguir con su solicitud ${f.number} ("${subject}") necesitamos su respuesta. Vea nuestro último mensaje y responda a este correo manteniendo [${f.number}] en el asunto.\n\nMientras tanto la solicitud queda a la espera de usted.\n`,
        }
      : {
          subject: `[${f.number}] Waiting on you: ${subject}`,
          body: `Hello ${name},\n\nTo go on with your request ${f.number} ("${subject}") we need your answer. See our last message and reply to this e-mail keeping [${f.number}] in the subject.\n\nUntil then the request waits on you.\n`,
        };
  }
  if (kind === 'resolved') {
    return locale === 'es'
      ? {
          subject: `[${f.number}] Solicitud resuelta: ${subject}`,
          body: `Hola, ${name}:\n\nHemos resuelto su solicitud ${f.number} ("${subject}").\n\nSi el problema continúa, responda a este correo manteniendo [${f.number}] en el asunto y la reabriremos.\n`,
        }
      : {
          subject: `[${f.number}] Request resolved: ${subject}`,
          body: `Hello ${name},\n\nWe resolved your request ${f.number} ("${subject}").\n\nIf the problem goes on, reply to this e-mail keeping [${f.number}] in the subject and we will reopen it.\n`,
        };
  }
  const agent = f.agentName ? oneLine(f.agentName, 100) : null;
  return locale === 'es'
    ? {
        subject: `Re: [${f.number}] ${subject}`,
        body: `${f.reply ?? ''}\n\n${agent ? `${agent}, ` : ''}soporte\n\nResponda a este correo para contestar; mantenga [${f.number}] en el asunto.\n`,
      }
    : {
        subject: `Re: [${f.number}] ${subject}`,
        body: `${f.reply ?? ''}\n\n${agent ? `${agent}, ` : ''}support\n\nReply to this e-mail to answer; keep [${f.number}] in the subject.\n`,
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
function planText(plan: PlanSummary | null | undefined, locale: MailLocale): string {
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
  return `${lines.join('\n')}\n\n`;
}
