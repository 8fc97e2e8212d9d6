import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { fieldErrorOf, type FieldError } from '../api/problem';

/**
 * A field error in the reader's language, from its code and params (`isLength` {min, max}), naming
 * the field by its label (or, without one, by the API's name for it). A code that is a problem's
 * (`mergeTargetClosed` on targetId) is said as that problem. A code the console has no words for
 * (`invalid`: a rule with no code of its own) keeps the API's message.
 */
export function fieldErrorText(i18n: I18n, error: FieldError, label?: string): string {
  const params = error.params ?? {};
  const code = lengthCode(error.code, params);
  const key = `fieldErrors.${code}`;
  if (!code) return error.message;
  if (!i18n.exists(key)) return problemText(i18n, { code, params }) ?? error.message;
  const name = i18n.t('fieldErrors.field', { field: label ?? error.field });
  const subject = params.each === true ? i18n.t('fieldErrors.eachOf', { field: name }) : name;
  return i18n.t(key, { ...asWords(params), subject, context: wordsFor(params) });
}

/** Which words of a code to say: a contact address's by its `channel`, a refused webhook URL's by its `reason` (falling back to the code's own). */
function wordsFor(params: Record<string, unknown>): string | undefined {
  if (typeof params.channel === 'string') return params.channel;
  return typeof params.reason === 'string' ? params.reason : undefined;
}

/**
 * A problem in the reader's language from its code and params (`ticketTransition` {from, to, allowed}), or
 * undefined when it has no code the console has words for (then the API's title and detail).
 * A `status` param picks the words for that status (`mailNotFailed` of a sent mail), `cycle` those of a cycle;
 * an `allowed` list of statuses is said as those statuses in words («En curso» o «Resuelto»), and
 * an empty one as nowhere (a closed ticket).
 */
export function problemText(i18n: I18n, problem: { code?: string; params?: Record<string, unknown> }): string | undefined {
  const key = `problems.${problem.code}`;
  if (!problem.code || !i18n.exists(key)) return undefined;
  const params = problem.params ?? {};
  const allowed = Array.isArray(params.allowed) ? params.allowed.map(String) : undefined;
  const context =
    params.cycle === true ? 'cycle' : typeof params.status === 'string' ? params.status : allowed ? (allowed.length ? 'allowed' : 'none') : undefined;
  const words = asWords(params);
  if (allowed) words.allowed = statusList(i18n, allowed);
  return i18n.t(key, { ...words, context });
}

/** Statuses in words, each quoted, as one choice: “In progress” or “Resolved”. */
function statusList(i18n: I18n, statuses: string[]): string {
  const said = statuses.map((status) => i18n.t('problems.status', { status }));
  return new Intl.ListFormat(i18n.language, { type: 'disjunction' }).format(said);
}

/** Params as words: a list (`values`, `placeholders`) is said as its items separated by commas. */
function asWords(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value.map(String).join(', ') : value]));
}

/** `@Length(1)` has no max and `@Length(undefined, 40)` no min: said as minLength and maxLength. */
function lengthCode(code: string | undefined, params: Record<string, unknown>): string | undefined {
  if (code !== 'isLength') return code;
  if (params.max === undefined) return 'minLength';
  if (params.min === undefined || params.min === 0) return 'maxLength';
  return code;
}

/**
 * The field errors of a failed call, for a form to show by each field:
 * `fieldError('name', t('agents.name'))` is what the API said about `name` (or under it), in the
 * reader's language.
 */
export function useFieldErrors(error: unknown): (field: string, label?: string) => string | undefined {
  const { i18n } = useTranslation();
  return (field, label) => {
    const found = fieldErrorOf(error, field);
    return found ? fieldErrorText(i18n, found, label) : undefined;
  };
}
