/** RFC 9457 problem details, as every error leaves the API. */
export interface FieldError {
  field: string;
  /** In English, for people reading the API directly. */
  message: string;
  /**
   * Why, for a screen to say in its own words: class-validator's constraint name (`isLength`,
   * `maxLength`, `isIn`, `isEmail`, `whitelistValidation`…, our own validators' names such as
   * `isIanaZone`), or a FieldErrorCode for a check made by a service. Left out by a thrower, it is
   * `invalid` in the problem.
   */
  code?: string;
  /** The constraint's arguments a message needs: `{min, max}` for lengths and sizes, `{values}` for choices, `each` for a rule on each item of a list. */
  params?: Record<string, unknown>;
}

/** The codes of field errors found by services (the validators' codes are their constraint names). */
export enum FieldErrorCode {
  /** No code of its own: the message says why. */
  Invalid = 'invalid',
  /** Unique among its kind and already used (an e-mail, a name, a domain…). */
  Taken = 'taken',
  /** Names a record (by its id) that does not exist. */
  UnknownId = 'unknownId',
  /** Needs a role the caller does not have. */
  NotAllowed = 'notAllowed',
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** `type` is a stable URN per kind of problem, e.g. `urn:helpdesk:problem:validation`. */
export function problemType(slug: string): string {
  return `urn:helpdesk:problem:${slug}`;
}
