/**
 * What an error from PostgreSQL or Redis says about the request: bad data (a 4xx) or a dependency
 * that cannot be reached (a 503). Errors are recognised by their shape (SQLSTATE `code`, socket
 * codes, the clients' messages), so that this library needs neither pg, TypeORM nor ioredis.
 */

/** The parts of the stack a request may need and find unreachable. */
export type Dependency = 'postgres' | 'redis';

export const DEPENDENCY_NAMES: Record<Dependency, string> = { postgres: 'PostgreSQL', redis: 'Redis' };

/** How long a client is told to wait (Retry-After) when a dependency is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Thrown by code that gave up waiting for a dependency (e.g. a Redis command that did not answer in time). */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    message: string,
  ) {
    super(message);
    this.name = 'DependencyUnavailableError';
  }
}

interface ErrorShape {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/**
 * SQLSTATE classes and codes of a server that is gone or not accepting sessions: 08 connection
 * exception, 57P01-57P03 (shut down by an administrator, crashed, still starting), 53300 (too many
 * connections).
 */
const POSTGRES_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
/** Socket errors: only the PostgreSQL pool rejects a query with them (ioredis retries instead). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const POSTGRES_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection is not established',
];
/** ioredis: no connection, no offline queue, no retries left, or no answer within `commandTimeout`. */
const REDIS_MESSAGES = ["Stream isn't writeable", 'Connection is closed', 'Reached the max retries per request limit', 'Command timed out'];

/** The errors an error was caused by (TypeORM's `driverError`, `cause`), itself first. */
function* chain(error: unknown): Generator<ErrorShape> {
  let current: unknown = error;
  for (let i = 0; i < 4 && current !== null && typeof current === 'object'; i++) {
    yield current as ErrorShape;
    const shape = current as ErrorShape;
    current = shape.driverError ?? shape.cause;
  }
}

/** Which dependency an error says is unreachable, or null when it says something else. */
export function unavailableDependency(error: unknown): Dependency | null {
  for (const e of chain(error)) {
    if (e instanceof DependencyUnavailableError) return e.dependency;
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (e.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => message.startsWith(m))) return 'redis';
    if (POSTGRES_UNAVAILABLE.test(code) || SOCKET_CODES.has(code) || POSTGRES_MESSAGES.some((m) => message.startsWith(m))) return 'postgres';
  }
  return null;
}

/**
 * PostgreSQL's message when it refused a value (SQLSTATE class 22, data exception: invalid text
 * representation, out of range, bad encoding…; class 54, a value too large for an index), or null.
 * Such a value should have been refused by a DTO; the message names the type, never the statement.
 */
export function refusedValueMessage(error: unknown): string | null {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^(22|54)[0-9A-Z]{3}$/.test(code)) {
      // A driver error's own message (TypeORM's wrapper may prefix it); never the query.
      return typeof e.message === 'string' ? e.message.split('\n')[0] : 'invalid value';
    }
  }
  return null;
}
