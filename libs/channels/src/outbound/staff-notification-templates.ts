import { oneLine } from './notification-templates';


export interface SlaBreachFacts {
  number: string;
  subject: string;
  priority: string;
  queue: string;
  customerName: string;
  /** The target that passed, and when it was due. */
  target: 'firstResponse' | 'resolution';
  dueAt: Date | null;
}

export interface ContractHoursLowFacts {
  /** The ticket whose escalation used the hours. */
  number: string;
  tier: 'premier' | 'advanced';
  hoursRemaining: number;
  hoursPurchased: number;
}

export interface AssignedFacts {
  number: string;
  subject: string;
  priority: string;
  customerName: string;
  /** The agent who assigned it; null when the helpdesk itself did. */
  assignedBy: string | null;
}

export interface SlaWarningFacts {
  number: string;
  subject: string;
  priority: string;
  queue: string;
  customerName: string;
  target: 'firstResponse' | 'resolution';
  dueAt: Date;
}

export interface EscalationFailedFacts {
  number: string;
  subject: string;
  tier: string;
  attempts: number;
  error: string;
  /** The queue whose managers hear of it; null when it goes to every manager. */
  queue: string | null;
}

export type StaffNotification =
  | { kind: 'sla_breach'; facts: SlaBreachFacts }
  | { kind: 'contract_hours_low'; facts: ContractHoursLowFacts }
  | { kind: 'assigned'; facts: AssignedFacts }
  | { kind: 'sla_warning'; facts: SlaWarningFacts }
  | { kind: 'escalation_failed'; facts: EscalationFailedFacts };

/** A UTC instant as people read it in `locale` (Intl), with its zone named. */
const when = (at: Date, locale: 'en' | 'es') => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);

/**
 * The subject and text of a mail to staff, `[HD-000123]` in the subject like every notification.
 * The "assigned to you" mail goes to one agent: in their language when they chose one (`locale`);
 * the rest, and an agent who chose none, English first, then Spanish, in one mail.
 */
export function composeStaffNotification(n: StaffNotification, locale: 'es' | 'en' | null = null): { subject: string; body: string } {
  switch (n.kind) {
    case 'sla_breach':
      return slaBreach(n.facts);
    case 'contract_hours_low':
      return contractHoursLow(n.facts);
    case 'assigned':
      return assigned(n.facts, locale);
    case 'sla_warning':
      return slaWarning(n.facts);
    case 'escalation_failed':
      return escalationFailed(n.facts);
  }
}

function assigned(f: AssignedFacts, locale: 'es' | 'en' | null): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const customer = oneLine(f.customerName, 200);
  const by = f.assignedBy ? oneLine(f.assignedBy, 100) : null;
  // Nobody named: the helpdesk's own pick (triage routing the ticket to the agent's queue).
  const en = `Ticket ${f.number} "${subject}" of ${customer} (priority ${f.priority}) is now yours${by ? `: ${by} assigned it to you` : ': the helpdesk assigned it to you when it routed it to your queue'}.\n`;
  const es = `La solicitud ${f.number} "${subject}" de ${customer} (prioridad ${f.priority}) es ahora suya${by ? `: ${by} se la ha asignado` : ': el servicio de soporte se la ha asignado al enviarla a su cola'}.\n`;
  if (locale === 'en') return { subject: `[${f.number}] Assigned to you: ${subject}`, body: en };
  if (locale === 'es') return { subject: `[${f.number}] Asignada a usted: ${subject}`, body: es };
  return { subject: `[${f.number}] Assigned to you / Asignada a usted: ${subject}`, body: `${en}\n---\n\n${es}` };
}

const TARGET_WORDS = {
  firstResponse: { en: 'first response', es: 'primera respuesta' },
  resolution: { en: 'resolution', es: 'resolución' },
} as const;

function slaWarning(f: SlaWarningFacts): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const customer = oneLine(f.customerName, 200);
  const queue = oneLine(f.queue, 100);
  const target = TARGET_WORDS[f.target];
  return {
    subject: `[${f.number}] SLA at risk / SLA en riesgo: ${subject}`,
    body:
      `Ticket ${f.number} "${subject}" of ${customer} (priority ${f.priority}, queue ${queue}) has used most of the time for its ${target.en} target, due ${when(f.dueAt, 'en')}.\n` +
      `You get this as a manager of the queue ${queue}.\n\n---\n\n` +
      `La solicitud ${f.number} "${subject}" de ${customer} (prioridad ${f.priority}, cola ${queue}) ha consumido la mayor parte del plazo de ${target.es}, que vence el ${when(f.dueAt, 'es')}.\n` +
      `Recibe este aviso como responsable de la cola ${queue}.\n`,
  };
}

function escalationFailed(f: EscalationFailedFacts): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const tier = oneLine(f.tier, 50);
  const error = oneLine(f.error, 300);
  const queue = f.queue ? oneLine(f.queue, 100) : null;
  return {
    subject: `[${f.number}] Escalation failed / Escalado fallido: ${subject}`,
    body:
      `The escalation of ticket ${f.number} "${subject}" to ${tier} could not be delivered after ${f.attempts} attempt(s): ${error}\n` +
      `Retry the escalation from the ticket, or escalate it by hand.\n` +
      `${queue ? `You get this as a manager of the queue ${queue}.` : 'You get this as a manager.'}\n\n---\n\n` +
      `El escalado de la solicitud ${f.number} "${subject}" a ${tier} no se ha podido entregar tras ${f.attempts} intento(s): ${error}\n` +
      `Reinténtelo desde la solicitud o escálela a mano.\n` +
      `${queue ? `Recibe este aviso como responsable de la cola ${queue}.` : 'Recibe este aviso como responsable.'}\n`,
  };
}

function slaBreach(f: SlaBreachFacts): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const customer = oneLine(f.customerName, 200);
  const queue = oneLine(f.queue, 100);
  const dueEn = f.dueAt ? ` (due ${when(f.dueAt, 'en')})` : '';
  const dueEs = f.dueAt ? ` (vencía el ${when(f.dueAt, 'es')})` : '';
  const target = TARGET_WORDS[f.target];
  return {
    subject: `[${f.number}] SLA breached / SLA incumplido: ${subject}`,
    body:
      `Ticket ${f.number} "${subject}" of ${customer} (priority ${f.priority}, queue ${queue}) missed its ${target.en} target${dueEn}.\n` +
      `You get this as a manager of the queue ${queue}.\n\n---\n\n` +
      `La solicitud ${f.number} "${subject}" de ${customer} (prioridad ${f.priority}, cola ${queue}) ha incumplido su plazo de ${target.es}${dueEs}.\n` +
      `Recibe este aviso como responsable de la cola ${queue}.\n`,
  };
}

const TIER_NAMES: Record<ContractHoursLowFacts['tier'], string> = { premier: 'Premier', advanced: 'Advanced' };
const hours = (n: number, locale: 'en' | 'es') => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);

function contractHoursLow(f: ContractHoursLowFacts): { subject: string; body: string } {
  const tier = TIER_NAMES[f.tier];
  return {
    subject: `[${f.number}] ${tier} contract hours low / Pocas horas en el contrato ${tier}`,
    body:
      `The ${tier} vendor support contract has ${hours(f.hoursRemaining, 'en')} of ${hours(f.hoursPurchased, 'en')} hours left, after the escalation of ticket ${f.number}. ` +
      `Escalations to ${tier} stop when no hours are left: top the contract up in time.\n\n---\n\n` +
      `Al contrato de soporte ${tier} del fabricante le quedan ${hours(f.hoursRemaining, 'es')} de ${hours(f.hoursPurchased, 'es')} horas, tras el escalado de la solicitud ${f.number}. ` +
      `Sin horas no se puede escalar a ${tier}: amplíe el contrato a tiempo.\n`,
  };
}
