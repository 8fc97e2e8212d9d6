import { ForbiddenException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { problemInstance, sendProblem, toProblem } from '@helpdesk/http';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header names the host the request was sent to. */
function sameHost(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

/** Whether a request states a body (a length above 0, or a chunked one). */
const hasBody = (request: FastifyRequest) => Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;

/**
 * A browser sends the board's Basic credentials with any request to it, from any site: a page
 * elsewhere could make an admin's browser retry, clean or add jobs. So a write (any method but
 * GET/HEAD/OPTIONS) must come from the board's own pages — `Sec-Fetch-Site` same-origin (or none:
 * typed by hand), an `Origin` naming this host — and a POST or a write with a body must be JSON,
 * which a cross-site form cannot send without a CORS preflight this server never grants.
 */
export const boardWritesHook: onRequestHookHandler = (request, reply, done) => {
  if (READS.has(request.method)) return done();
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && !sameHost(origin, request))) {
    return sendProblem(reply, toProblem(new ForbiddenException('The queue board accepts changes from its own pages only'), problemInstance(request)));
  }
  if ((request.method === 'POST' || hasBody(request)) && !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    return sendProblem(reply, toProblem(new UnsupportedMediaTypeException('Changes to the queue board must be sent as application/json'), problemInstance(request)));
  }
  done();
};
