import type { NoticeMail } from '@helpdesk/billing';
import { BUILT_IN_TEMPLATES, MailTemplate } from '../templates/mail-template-catalogue';
import { renderMail } from '../templates/mail-template-render';
import { oneLine } from './one-line';

/** The placeholders' values of a dunning notice's mail: the notice's own text (billing's, in the account's language). */
export function billingNoticeValues(notice: Pick<NoticeMail, 'recipient' | 'subject' | 'body'>): Record<string, string> {
  return { 'recipient.name': oneLine(notice.recipient.name, 100), 'notice.subject': oneLine(notice.subject), 'notice.body': notice.body };
}

/** The template (and outbound kind) of a billing notice: reminders and final notices share `billing_notice`. */
export const noticeMailKind = (notice: Pick<NoticeMail, 'kind'>): 'billing_notice' | 'suspension_notice' | 'restoration_notice' =>
  notice.kind === 'suspension' ? 'suspension_notice' : notice.kind === 'restoration' ? 'restoration_notice' : 'billing_notice';

/** The mail of one billing notice: the admin's template for its kind and language, or the built-in (a greeting around the notice). */
export function composeNoticeMail(notice: NoticeMail, template: MailTemplate = BUILT_IN_TEMPLATES[noticeMailKind(notice)][notice.locale]): { subject: string; body: string } {
  return renderMail(template, billingNoticeValues(notice));
}
