import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE_PATH } from '@helpdesk/auth';

/**
 * The session cookie's attributes: never readable by scripts (HttpOnly), never sent with a request
 * another site starts (SameSite=Strict), only over TLS when the console is served over HTTPS
 * (directly, or by a proxy on this machine that says so in X-Forwarded-Proto), and only to the API.
 */
export function sessionCookieOptions(request: FastifyRequest, expiresAt?: Date): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: SESSION_COOKIE_PATH, ...(expiresAt ? { expires: expiresAt } : {}) };
}
