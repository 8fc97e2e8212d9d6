import { oneLine } from './notification-templates';


export interface SlaBreachFacts {
  number: string;
  subject: string;
  priority: string;
  queue: string;
  customerName: string;
  /** The resolution target that passed. */
  dueAt: Date | null;
}

export interface ContractHoursLowFacts {
  /** The ticket whose escalation used the hours. */
  number: string;
  tier: 'premier' | 'advanced';
  hoursRemaining: number;
  hoursPurchased: number;
}

export type StaffNotification = { kind: 'sla_breach'; facts: SlaBreachFacts } | { kind: 'contract_hours_low'; facts: ContractHoursLowFacts };

/** A UTC instant as people read it in `locale` (Intl), with its zone named. */
const when = (at: Date, locale: 'en' | 'es') => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);

/**
 * The subject and text of a mail to staff. Agents have no language of their own: English first,
 * then Spanish, in one mail; `[HD-000123]` in the subject like every notification.
 */
export function composeStaffNotification(n: StaffNotification): { subject: string; body: string } {
  return n.kind === 'sla_breach' ? slaBreach(n.facts) : contractHoursLow(n.facts);
}

function slaBreach(f: SlaBreachFacts): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const customer = oneLine(f.customerName, 200);
  const queue = oneLine(f.queue, 100);
  const dueEn = f.dueAt ? ` (due ${when(f.dueAt, 'en')})` : '';
  const dueEs = f.dueAt ? ` (vencía el ${when(f.dueAt, 'es')})` : '';
  return {
    subject: `[${f.number}] SLA breached / SLA incumplido: ${subject}`,
    body:
      `Ticket ${f.number} "${subject}" of ${customer} (priority ${f.priority}, queue ${queue}) missed its resolution target${dueEn}.\n` +
      `You get this as a manager of the queue ${queue}.\n\n---\n\n` +
      `La solicitud ${f.number} "${subject}" de ${customer} (prioridad ${f.priority}, cola ${queue}) ha incumplido su plazo de resolución${dueEs}.\n` +
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
