/** An RFC 9457 problem as the API sends every error (`application/problem+json`). */
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** The problem in a failed call's error, whatever shape the error took (network errors have none). */
export function problemOf(error: unknown): Problem | null {
  if (typeof error !== 'object' || error === null) return null;
  const value = error as Problem;
  return typeof value.detail === 'string' || typeof value.title === 'string' ? value : null;
}

/** What the API said about one field (or anything under it: `contactPoints.0` covers `contactPoints.0.address`), to show on that field. */
export function fieldErrorOf(error: unknown, field: string): string | undefined {
  return problemOf(error)?.errors?.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;
}
