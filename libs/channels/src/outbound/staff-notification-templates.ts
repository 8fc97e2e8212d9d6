import { oneLine } from './notification-templates';

export type StaffNotificationKind = 'sla_breach';

export interface StaffNotificationFacts {
  number: string;
  subject: string;
  priority: string;
  queue: string;
  customerName: string;
  /** The resolution target that passed. */
  dueAt: Date | null;
}

/** A UTC instant as people read it in `locale` (Intl), with its zone named. */
const when = (at: Date, locale: 'en' | 'es') => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at);

/**
 * The subject and text of a mail to staff. Agents have no language of their own: English first,
 * then Spanish, in one mail; `[HD-000123]` in the subject like every notification.
 */
export function composeStaffNotification(kind: StaffNotificationKind, f: StaffNotificationFacts): { subject: string; body: string } {
  const subject = oneLine(f.subject);
  const customer = oneLine(f.customerName, 200);
  const queue = oneLine(f.queue, 100);
  const dueEn = f.dueAt ? ` (due ${when(f.dueAt, 'en')})` : '';
  const dueEs = f.dueAt ? ` (vencía el ${when(f.dueAt, 'es')})` : '';
  switch (kind) {
    case 'sla_breach':
      return {
        subject: `[${f.number}] SLA breached / SLA incumplido: ${subject}`,
        body:
          `Ticket ${f.number} "${subject}" of ${customer} (priority ${f.priority}, queue ${queue}) missed its resolution target${dueEn}.\n` +
          `You get this as a manager of the queue ${queue}.\n\n---\n\n` +
          `La solicitud ${f.number} "${subject}" de ${customer} (prioridad ${f.priority}, cola ${queue}) ha incumplido su plazo de resolución${dueEs}.\n` +
          `Recibe este aviso como responsable de la cola ${queue}.\n`,
      };
  }
}
