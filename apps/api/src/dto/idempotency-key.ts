import { DomainError, isHeaderToken } from '@helpdesk/http';

/** The `Idempotency-Key` header, if sent: 1–200 visible ASCII characters (400 naming it otherwise). */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header !== undefined && !isHeaderToken(header)) throw DomainError.invalid('Idempotency-Key', 'must be 1–200 visible ASCII characters');
  return header;
}
