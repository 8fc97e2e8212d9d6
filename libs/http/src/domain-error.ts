import { FieldError, FieldErrorCode } from './problem';

/** Why a business rule refused a request; each code maps to one HTTP status and problem type. */
export enum DomainErrorCode {
  NotFound = 'not-found',
  Conflict = 'conflict',
  InvalidTransition = 'invalid-transition',
  Unprocessable = 'unprocessable',
  IdempotencyMismatch = 'idempotency-key-reused',
  Forbidden = 'forbidden',
  Invalid = 'validation',
  PayloadTooLarge = 'payload-too-large',
  UnsupportedMediaType = 'unsupported-media-type',
}

export const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, number> = {
  [DomainErrorCode.NotFound]: 404,
  [DomainErrorCode.Conflict]: 409,
  [DomainErrorCode.InvalidTransition]: 409,
  [DomainErrorCode.Unprocessable]: 422,
  [DomainErrorCode.IdempotencyMismatch]: 422,
  [DomainErrorCode.Forbidden]: 403,
  [DomainErrorCode.Invalid]: 400,
  [DomainErrorCode.PayloadTooLarge]: 413,
  [DomainErrorCode.UnsupportedMediaType]: 415,
};

/** Thrown by services; the HTTP layer turns it into a problem response. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> & { errors?: FieldError[] } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what} ${id} was not found`);
  }

  static invalid(field: string, message: string, code: string = FieldErrorCode.Invalid, params: Record<string, unknown> = {}): DomainError {
    return new DomainError(DomainErrorCode.Invalid, `${field}: ${message}`, {
      errors: [{ field, message, code, params }],
    });
  }

  /** A range whose `to` is not after its `from` (the SLA report's, the audit log's, outgoing mail's filters), refused on `to`. */
  static rangeOrder(message = 'must be later than from'): DomainError {
    return DomainError.invalid('to', message, FieldErrorCode.RangeOrder, { other: 'from' });
  }
}
