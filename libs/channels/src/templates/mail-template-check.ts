import { templateProblem } from '@helpdesk/macros';
import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';
import { MailTemplate, needsTicketNumber, TEMPLATE_PLACEHOLDERS, TemplateKind, TICKET_NUMBER_TAG } from './mail-template-catalogue';

export const TEMPLATE_SUBJECT_MAX = 200;
export const TEMPLATE_BODY_MAX = 10_000;

/** Control characters (CR and LF among them) never belong in a subject: it becomes a header. */
const CONTROL = /[\u0000-\u001f\u007f]/;

const unprocessable = (field: 'subject' | 'body', message: string, code: string, params: Record<string, unknown> = {}, unknown: string[] = []) =>
  new DomainError(DomainErrorCode.Unprocessable, `${field}: ${message}`, { errors: [{ field, message, code, params }], ...(unknown.length > 0 ? { unknownPlaceholders: unknown } : {}) });

/**
 * What an admin's template must be before it is saved or previewed (422 naming the field and the
 * placeholder): the subject one line of at most 200 characters keeping `[{{ticket.number}}]` when
 * the mail is about a ticket, and both parts logic-less templates of the kind's placeholders only.
 */
export function checkMailTemplate(kind: TemplateKind, template: MailTemplate): void {
  if (CONTROL.test(template.subject)) throw unprocessable('subject', 'must be one line: no CR, LF or other control characters', FieldErrorCode.OneLine);
  if ([...template.subject].length > TEMPLATE_SUBJECT_MAX) throw unprocessable('subject', `must be at most ${TEMPLATE_SUBJECT_MAX} characters`, 'maxLength', { max: TEMPLATE_SUBJECT_MAX });
  if (template.subject.trim() === '') throw unprocessable('subject', 'must not be empty', 'isNotEmpty');
  if ([...template.body].length > TEMPLATE_BODY_MAX) throw unprocessable('body', `must be at most ${TEMPLATE_BODY_MAX} characters`, 'maxLength', { max: TEMPLATE_BODY_MAX });
  if (template.body.trim() === '') throw unprocessable('body', 'must not be empty', 'isNotEmpty');
  for (const field of ['subject', 'body'] as const) {
    const problem = templateProblem(template[field], TEMPLATE_PLACEHOLDERS[kind]);
    if (problem) throw unprocessable(field, problem.message, problem.code, problem.params, problem.unknown);
  }
  if (needsTicketNumber(kind) && !template.subject.replace(/\{\{\s*ticket\.number\s*\}\}/g, '{{ticket.number}}').includes(TICKET_NUMBER_TAG)) {
    throw unprocessable('subject', `must keep ${TICKET_NUMBER_TAG}: a customer's answer finds its ticket by it`, FieldErrorCode.KeepTag, { tag: TICKET_NUMBER_TAG });
  }
}
