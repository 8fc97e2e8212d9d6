import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { fieldErrorOf, type FieldError } from '../api/problem';

/**
 * A field error in the reader's language, from its code and params (`isLength` {min, max}), naming
 * the field by its label (or, without one, by the API's name for it). A code the console has no
 * words for (`invalid`: a rule with no code of its own) keeps the API's message.
 */
export function fieldErrorText(i18n: I18n, error: FieldError, label?: string): string {
  const params = error.params ?? {};
  const code = lengthCode(error.code, params);
  const key = `fieldErrors.${code}`;
  if (!code || !i18n.exists(key)) return error.message;
  const name = i18n.t('fieldErrors.field', { field: label ?? error.field });
  const subject = params.each === true ? i18n.t('fieldErrors.eachOf', { field: name }) : name;
  const values = Array.isArray(params.values) ? params.values.map(String).join(', ') : undefined;
  return i18n.t(key, { ...params, subject, values });
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
