import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OLD_SESSION_COOKIE_PATH, SESSION_COOKIE, SESSION_COOKIE_PATH } from '@helpdesk/auth';

/**
 * The session cookie's attributes: never readable by scripts (HttpOnly), never sent with a request
 * another site starts (SameSite=Strict), only over TLS when the console is served over HTTPS
 * (directly, or by a proxy on this machine that says so in X-Forwarded-Proto); to the whole origin
 * (the API and the console's page, which the api renders for the signed-in person).
 */
export function sessionCookieOptions(request: FastifyRequest, expiresAt?: Date): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: SESSION_COOKIE_PATH, ...(expiresAt ? { expires: expiresAt } : {}) };
}

/**
 * Sets the session cookie, and clears the one an older sign-in left at the old path (/api): the
 * browser would send that one first to the API's routes (the longer path), a session that may have ended.
 */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, id: string, expiresAt: Date): void {
  void reply.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(request), path: OLD_SESSION_COOKIE_PATH });
  void reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(request, expiresAt));
}

/** Clears the session cookie, at both paths it may have. */
export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest): void {
  void reply.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(request), path: OLD_SESSION_COOKIE_PATH });
  void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request));
}
