import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Secrets never written to a log: credentials in headers (query-string tokens: see `loggedUrl`). */
export const REQUEST_LOG_REDACT: LoggerOptions['redact'] = ['req.headers.authorization', 'req.headers.cookie'];

/** EventSource stream tickets travel in the query string (`?token=`): keep them out of the logged URL. */
export function loggedUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[Redacted]');
}

export const REQUEST_LOG_SERIALIZERS: LoggerOptions['serializers'] = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: loggedUrl(request.url),
    headers: request.headers,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

/**
 * One line per request, when it is finished, at a level that follows the outcome (5xx error, 4xx
 * warn, else info), instead of Fastify's two info lines. Health probes are not logged: a load
 * balancer polls them every few seconds.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (request.url.startsWith('/health')) return;
    const level = error || reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'warn' : 'info';
    request.log[level]({ req: request, res: reply, responseTime: reply.elapsedTime, err: error ?? undefined }, 'request completed');
  }
}
