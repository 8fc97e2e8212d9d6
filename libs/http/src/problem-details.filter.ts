import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEPENDENCY_NAMES, Dependency, refusedValueMessage, unavailableDependency, UNAVAILABLE_RETRY_AFTER_SECONDS } from './database-errors';
import { DOMAIN_ERROR_STATUS, DomainError } from './domain-error';
import { FieldError, FieldErrorCode, Problem, PROBLEM_CONTENT_TYPE, problemType, titleFor } from './problem';
import { RequestValidationException } from './validation';

/**
 * What Fastify throws while reading a body, before any route runs (its errors carry a `code`; the
 * Nest adapter wraps a 4xx one in an HttpException whose `cause` it is).
 */
function bodyProblem(error: unknown, instance?: string): Problem | null {
  const cause = error instanceof HttpException && error.cause !== undefined ? error.cause : error;
  switch ((cause as { code?: unknown } | null)?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { type: problemType('malformed-json'), title: 'Malformed JSON', status: 400, detail: 'The request body is not valid JSON', instance };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { type: problemType('payload-too-large'), title: titleFor(413), status: 413, detail: 'The request body is larger than 1 MiB', instance };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { type: problemType('unsupported-media-type'), title: titleFor(415), status: 415, detail: 'The request body must be JSON (Content-Type: application/json)', instance };
    default:
      return null;
  }
}

/** Every field error in a problem has a code and params, whoever threw it. */
function withCode(error: FieldError): Required<FieldError> {
  return { field: error.field, message: error.message, code: error.code ?? FieldErrorCode.Invalid, params: error.params ?? {} };
}

/** Turns any thrown error into a problem, hiding internals (stack, SQL) of unexpected ones. */
export function toProblem(error: unknown, instance?: string): Problem {
  const body = bodyProblem(error, instance);
  if (body) return body;
  if (error instanceof RequestValidationException) {
    return {
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail: error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'The request is invalid',
      instance,
      errors: error.fieldErrors.map(withCode),
    };
  }
  if (error instanceof DomainError) {
    const status = DOMAIN_ERROR_STATUS[error.code];
    // Extensions never override the standard members.
    const errors = error.extensions.errors?.map(withCode);
    return { ...error.extensions, ...(errors ? { errors } : {}), type: problemType(error.code), title: titleFor(status), status, detail: error.message, instance };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const health = healthDetails(response);
    if (health) {
      const down = Object.entries(health).filter(([, v]) => v.status !== 'up').map(([k]) => k);
      return { type: problemType('not-ready'), title: titleFor(status), status, detail: `Not ready: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down`, instance, checks: health };
    }
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message).join('; ')
          : String((response as { message?: unknown }).message ?? error.message);
    return { type: problemType(slugFor(status)), title: titleFor(status), status, detail: message, instance };
  }
  const dependency = unavailableDependency(error);
  if (dependency) {
    return { type: problemType('unavailable'), title: titleFor(503), status: 503, detail: `${DEPENDENCY_NAMES[dependency]} is unreachable at the moment; try again shortly`, instance };
  }
  const refused = refusedValueMessage(error);
  if (refused !== null) {
    return { type: problemType('invalid-value'), title: titleFor(400), status: 400, detail: `A value in the request cannot be stored: ${refused}`, instance };
  }
  return { type: problemType('internal'), title: titleFor(500), status: 500, detail: 'An unexpected error occurred; it has been logged', instance };
}

/** A failed @nestjs/terminus check carries `{status: 'error', details: {name: {status}}}`. */
function healthDetails(response: unknown): Record<string, { status: string }> | null {
  const r = response as { status?: unknown; details?: unknown };
  return r && typeof r === 'object' && r.status === 'error' && r.details && typeof r.details === 'object'
    ? (r.details as Record<string, { status: string }>)
    : null;
}

function slugFor(status: number): string {
  return titleFor(status).toLowerCase().replace(/[^a-z]+/g, '-');
}

/** The path a problem is about: the request's, without its query string. */
export function problemInstance(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

/** Sends the problem with the request id (also the X-Request-Id header) as `requestId`. */
export function sendProblem(reply: FastifyReply, problem: Problem): void {
  if (reply.sent || reply.raw.headersSent) return;
  void reply
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problem, requestId: reply.request.id }));
}

/**
 * Told of every request answered 503 because a dependency is unreachable, so that an outage is
 * logged once when it starts and once when it ends, not with a stack per request.
 */
export interface OutageReporter {
  report(dependency: Dependency, error: unknown): void;
}

export const OUTAGE_REPORTER = Symbol('OutageReporter');

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(@Optional() @Inject(OUTAGE_REPORTER) private readonly outages?: OutageReporter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.answer(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>());
  }

  /** The problem for any error, sent; also for errors met in Fastify hooks, outside Nest's filters. */
  answer(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const problem = toProblem(exception, problemInstance(request));
    const dependency = problem.status === 503 ? unavailableDependency(exception) : null;
    if (dependency) {
      void reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      if (this.outages) this.outages.report(dependency, exception);
      else this.logger.error(`${DEPENDENCY_NAMES[dependency]} is unreachable: ${exception instanceof Error ? exception.message : String(exception)}`);
    } else if (problem.type === problemType('invalid-value')) {
      // A DTO let through a value the database refused: worth fixing, not worth a stack.
      this.logger.warn(`${request.method} ${problemInstance(request)}: ${problem.detail}`);
    } else if (problem.status >= 500 && problem.status !== 503) {
      // A deliberate 503 (not ready, stopping) is no fault of the code: no stack for it.
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    sendProblem(reply, problem);
  }
}
