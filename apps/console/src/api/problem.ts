/** One field a problem names: the API's English message, and its code and params for the console to say in the reader's language. */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

/** An RFC 9457 problem as the API sends every error (`application/problem+json`). */
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  /** Why, for the console to say in its own words (`ticketTransition` {from, to}, `mailNotFailed` {status}…), when the API gives one. */
  code?: string;
  params?: Record<string, unknown>;
}

/** The problem in a failed call's error, whatever shape the error took (network errors have none). */
export function problemOf(error: unknown): Problem | null {
  if (typeof error !== 'object' || error === null) return null;
  const value = error as Problem;
  return typeof value.detail === 'string' || typeof value.title === 'string' ? value : null;
}

/** Whether a field error is about this field or anything under it (`contactPoints.0` covers `contactPoints.0.address`). */
export const isUnder = (error: FieldError, field: string): boolean => error.field === field || error.field.startsWith(`${field}.`);

/** What the API said about one field (or anything under it), to show on that field. */
export function fieldErrorOf(error: unknown, field: string): FieldError | undefined {
  return problemOf(error)?.errors?.find((e) => isUnder(e, field));
}
