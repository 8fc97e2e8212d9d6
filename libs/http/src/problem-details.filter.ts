import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DOMAIN_ERROR_STATUS, DomainError } from './domain-error';
import { Problem, PROBLEM_CONTENT_TYPE, problemType, titleFor } from './problem';
import { RequestValidationException } from './validation';

/** Express body-parser errors carry a `type` and an HTTP status. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Turns any thrown error into a problem, hiding internals (stack, SQL) of unexpected ones. */
export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof RequestValidationException) {
    return {
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail: error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'The request is invalid',
      instance,
      errors: error.fieldErrors,
    };
  }
  if (error instanceof DomainError) {
    const status = DOMAIN_ERROR_STATUS[error.code];
    // Extensions never override the standard members.
    return { ...error.extensions, type: problemType(error.code), title: titleFor(status), status, detail: error.message, instance };
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
  const bodyError = error as BodyParserError;
  if (bodyError?.type === 'entity.parse.failed') {
    return { type: problemType('malformed-json'), title: 'Malformed JSON', status: 400, detail: 'The request body is not valid JSON', instance };
  }
  if (bodyError?.type === 'entity.too.large') {
    return { type: problemType('payload-too-large'), title: titleFor(413), status: 413, detail: 'The request body is larger than 1 MiB', instance };
  }
  if (bodyError?.expose && typeof bodyError.status === 'number' && bodyError.status < 500) {
    return { type: problemType(slugFor(bodyError.status)), title: titleFor(bodyError.status), status: bodyError.status, detail: 'The request could not be read', instance };
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

export function sendProblem(res: Response, problem: Problem): void {
  if (res.headersSent) return;
  const requestId = res.getHeader('x-request-id');
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(requestId ? { ...problem, requestId } : problem));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = toProblem(exception, req.originalUrl?.split('?')[0]);
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    sendProblem(res, problem);
  }
}

/** Express error middleware for what fails before Nest routes (body parsing). */
export function problemErrorMiddleware(err: unknown, req: Request, res: Response, next: (e?: unknown) => void): void {
  if (res.headersSent) return next(err);
  sendProblem(res, toProblem(err, req.originalUrl?.split('?')[0]));
}
