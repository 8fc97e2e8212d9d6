import type { onRequestHookHandler } from 'fastify';

/** A year, the usual HSTS lifetime. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Headers every response carries besides Helmet's: `Cache-Control: no-store` (responses carry
 * tokens and personal data, and nothing the API serves needs a shared cache), and HSTS only when
 * the request came over HTTPS — directly, or through a proxy on this machine saying so with
 * X-Forwarded-Proto (see trustProxy in create-api.ts) — as a plain-HTTP answer cannot set it.
 */
export const safeHeaders: onRequestHookHandler = (request, reply, done) => {
  void reply.header('Cache-Control', 'no-store');
  if (request.protocol === 'https') void reply.header('Strict-Transport-Security', HSTS);
  done();
};
