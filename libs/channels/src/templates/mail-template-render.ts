import { renderTemplate } from '@helpdesk/macros';
import { oneLine } from '../outbound/one-line';
import type { MailTemplate } from './mail-template-catalogue';

/** The longest subject a notification goes out with, once filled in. */
export const RENDERED_SUBJECT_MAX = 300;

/**
 * A template filled with plain-string values by the logic-less engine of macros. The subject is
 * made one line whatever the values hold (a reply's text, a name with a line break): no CR/LF
 * ever reaches the Subject header.
 */
export function renderMail(template: MailTemplate, values: Readonly<Record<string, string>>): MailTemplate {
  return { subject: oneLine(renderTemplate(template.subject, values), RENDERED_SUBJECT_MAX), body: renderTemplate(template.body, values) };
}
