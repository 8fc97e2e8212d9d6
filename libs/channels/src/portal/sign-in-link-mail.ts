import type { MailLocale } from '../outbound/notification-templates';
import { oneLine } from '../outbound/notification-templates';

export interface SignInLinkFacts {
  contactName: string;
  customerName: string;
  url: string;
  minutes: number;
}

/** The mail with a portal sign-in link, in the contact's language. */
export function composeSignInLink(locale: MailLocale, f: SignInLinkFacts): { subject: string; body: string } {
  const name = oneLine(f.contactName, 100);
  const customer = oneLine(f.customerName, 200);
  return locale === 'es'
    ? {
        subject: `Su enlace para entrar en el portal de soporte (${customer})`,
        body: `Hola, ${name}:\n\nPara entrar en el portal de soporte de ${customer}, abra este enlace:\n\n${f.url}\n\nFunciona una sola vez y caduca en ${f.minutes} minutos. Si no lo ha pedido usted, ignore este mensaje: nadie puede entrar sin él.\n`,
      }
    : {
        subject: `Your sign-in link to the support portal (${customer})`,
        body: `Hello ${name},\n\nTo sign in to the support portal of ${customer}, open this link:\n\n${f.url}\n\nIt works once and expires in ${f.minutes} minutes. If you did not ask for it, ignore this message: nobody can sign in without it.\n`,
      };
}
