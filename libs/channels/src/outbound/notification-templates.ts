export type MailLocale = 'es' | 'en';
export type NotificationKind = 'ticket_received' | 'public_reply';

export interface NotificationFacts {
  number: string;
  subject: string;
  requesterName: string;
  /** The agent's public comment (public_reply). */
  reply?: string;
  agentName?: string | null;
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
          body: `Hola, ${name}:\n\nHemos recibido su solicitud "${subject}" y le hemos asignado el número ${f.number}. Un agente le responderá pronto.\n\nPara añadir información, responda a este correo manteniendo [${f.number}] en el asunto.\n\nEste es un mensaje automático.\n`,
        }
      : {
          subject: `[${f.number}] We received your request: ${subject}`,
          body: `Hello ${name},\n\nWe received your request "${subject}" and gave it the number ${f.number}. An agent will answer soon.\n\nTo add anything, reply to this e-mail keeping [${f.number}] in the subject.\n\nThis is an automatic message.\n`,
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
