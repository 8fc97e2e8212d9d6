import type { MailLocale } from '../outbound/notification-templates';

/** The customer notifications an admin may reword, per locale. */
export const TEMPLATE_KINDS = ['ticket_received', 'public_reply', 'waiting_on_customer', 'resolved', 'billing_notice', 'suspension_notice', 'restoration_notice'] as const;

/** The kinds that tell of billing (dunning notices, a suspension, its end): about no ticket. */
export const BILLING_TEMPLATE_KINDS: readonly TemplateKind[] = ['billing_notice', 'suspension_notice', 'restoration_notice'];
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const MAIL_LOCALES: readonly MailLocale[] = ['es', 'en'];

export interface MailTemplate {
  subject: string;
  body: string;
}

const TICKET = ['ticket.number', 'ticket.subject', 'recipient.name'] as const;

/** What each kind's subject and body may print (`{{name}}`); anything else is refused when saved. */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateKind, readonly string[]> = {
  ticket_received: [...TICKET, 'plan.summary', 'plan.name', 'plan.hours', 'plan.firstResponse', 'plan.resolution'],
  public_reply: [...TICKET, 'reply.body', 'agent.name'],
  waiting_on_customer: TICKET,
  resolved: TICKET,
  billing_notice: ['recipient.name', 'notice.subject', 'notice.body'],
  suspension_notice: ['recipient.name', 'notice.subject', 'notice.body'],
  restoration_notice: ['recipient.name', 'notice.subject', 'notice.body'],
};

/**
 * Kinds about a ticket keep `[{{ticket.number}}]` in their subject: a customer's answer that lost
 * its threading headers still finds its ticket by it.
 */
export const TICKET_NUMBER_TAG = '[{{ticket.number}}]';
export const needsTicketNumber = (kind: TemplateKind): boolean => !BILLING_TEMPLATE_KINDS.includes(kind);

/** The wording used until an admin saves another (and again after a reset). */
export const BUILT_IN_TEMPLATES: Record<TemplateKind, Record<MailLocale, MailTemplate>> = {
  ticket_received: {
    es: {
      subject: '[{{ticket.number}}] Hemos recibido su solicitud: {{ticket.subject}}',
      body:
        'Hola, {{recipient.name}}:\n\nHemos recibido su solicitud "{{ticket.subject}}" y le hemos asignado el número {{ticket.number}}. Un agente le responderá pronto.\n\n' +
        '{{plan.summary}}\n\nPara añadir información, responda a este correo manteniendo [{{ticket.number}}] en el asunto.\n\nEste es un mensaje automático.\n',
    },
    en: {
      subject: '[{{ticket.number}}] We received your request: {{ticket.subject}}',
      body:
        'Hello {{recipient.name}},\n\nWe received your request "{{ticket.subject}}" and gave it the number {{ticket.number}}. An agent will answer soon.\n\n' +
        '{{plan.summary}}\n\nTo add anything, reply to this e-mail keeping [{{ticket.number}}] in the subject.\n\nThis is an automatic message.\n',
    },
  },
  public_reply: {
    es: {
      subject: 'Re: [{{ticket.number}}] {{ticket.subject}}',
      body: '{{reply.body}}\n\n{{agent.name}}, soporte\n\nResponda a este correo para contestar; mantenga [{{ticket.number}}] en el asunto.\n',
    },
    en: {
      subject: 'Re: [{{ticket.number}}] {{ticket.subject}}',
      body: '{{reply.body}}\n\n{{agent.name}}, support\n\nReply to this e-mail to answer; keep [{{ticket.number}}] in the subject.\n',
    },
  },
  waiting_on_customer: {
    es: {
      subject: '[{{ticket.number}}] Necesitamos su respuesta: {{ticket.subject}}',
      body:
        'Hola, {{recipient.name}}:\n\nPara seguir con su solicitud {{ticket.number}} ("{{ticket.subject}}") necesitamos su respuesta. Vea nuestro último mensaje y responda a este correo manteniendo [{{ticket.number}}] en el asunto.\n\n' +
        'Mientras tanto la solicitud queda a la espera de usted.\n',
    },
    en: {
      subject: '[{{ticket.number}}] Waiting on you: {{ticket.subject}}',
      body:
        'Hello {{recipient.name}},\n\nTo go on with your request {{ticket.number}} ("{{ticket.subject}}") we need your answer. See our last message and reply to this e-mail keeping [{{ticket.number}}] in the subject.\n\n' +
        'Until then the request waits on you.\n',
    },
  },
  resolved: {
    es: {
      subject: '[{{ticket.number}}] Solicitud resuelta: {{ticket.subject}}',
      body: 'Hola, {{recipient.name}}:\n\nHemos resuelto su solicitud {{ticket.number}} ("{{ticket.subject}}").\n\nSi el problema continúa, responda a este correo manteniendo [{{ticket.number}}] en el asunto y la reabriremos.\n',
    },
    en: {
      subject: '[{{ticket.number}}] Request resolved: {{ticket.subject}}',
      body: 'Hello {{recipient.name}},\n\nWe resolved your request {{ticket.number}} ("{{ticket.subject}}").\n\nIf the problem goes on, reply to this e-mail keeping [{{ticket.number}}] in the subject and we will reopen it.\n',
    },
  },
  billing_notice: {
    es: {
      subject: '{{notice.subject}}',
      body: 'Hola, {{recipient.name}}:\n\n{{notice.body}}\n\nSi ya ha realizado el pago, ignore este mensaje. Para cualquier duda sobre la factura, responda a este correo.\n',
    },
    en: {
      subject: '{{notice.subject}}',
      body: 'Hello {{recipient.name}},\n\n{{notice.body}}\n\nIf you have already paid, please ignore this message. For any question about the invoice, reply to this e-mail.\n',
    },
  },
  suspension_notice: {
    es: {
      subject: '{{notice.subject}}',
      body: 'Hola, {{recipient.name}}:\n\n{{notice.body}}\n\nSi ya ha realizado el pago, responda a este correo con el justificante y lo revisaremos. Para cualquier duda, responda a este correo.\n',
    },
    en: {
      subject: '{{notice.subject}}',
      body: 'Hello {{recipient.name}},\n\n{{notice.body}}\n\nIf you have already paid, reply to this e-mail with the proof of payment and we will look into it. For any question, reply to this e-mail.\n',
    },
  },
  restoration_notice: {
    es: {
      subject: '{{notice.subject}}',
      body: 'Hola, {{recipient.name}}:\n\n{{notice.body}}\n\nPara cualquier duda, responda a este correo.\n',
    },
    en: {
      subject: '{{notice.subject}}',
      body: 'Hello {{recipient.name}},\n\n{{notice.body}}\n\nFor any question, reply to this e-mail.\n',
    },
  },
};
