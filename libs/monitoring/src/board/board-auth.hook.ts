import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { hasRole, Principal, StaffRole, TokenService } from '@helpdesk/auth';
import { problemInstance, sendProblem, toProblem } from '@helpdesk/http';

/** Who may open the board (global_admin always may). */
export const BOARD_ROLES: readonly StaffRole[] = [StaffRole.AdminAgent];

export const BOARD_REALM = 'Basic realm="helpdesk", charset="UTF-8"';

/**
 * The token a request presents: `Authorization: Bearer <token>`, or HTTP Basic with the token as
 * the password (any user name), which is what a browser asks for.
 */
export function presentedToken(authorization: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  return password || null;
}

/**
 * Fastify `onRequest` hook in front of every route of Bull Board (page, assets, API): 401 (with a
 * Basic challenge, so a browser shows its login dialog) without a valid token, 403 for a principal
 * without a board role.
 */
export function boardAuthHook(tokens: TokenService): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const outcome = await authorize(tokens, request);
    if (outcome === 'ok') return;
    const instance = problemInstance(request);
    if (outcome === 'forbidden') {
      sendProblem(reply, toProblem(new ForbiddenException(`The queue board needs one of the roles: ${[StaffRole.GlobalAdmin, ...BOARD_ROLES].join(', ')}`), instance));
    } else {
      void reply.header('WWW-Authenticate', BOARD_REALM);
      sendProblem(reply, toProblem(new UnauthorizedException(outcome === 'missing'
        ? 'A token is required: Authorization: Bearer <token>, or Basic with the token as password'
        : 'The token is invalid or revoked'), instance));
    }
    // An async hook that answered returns the reply, so that Fastify runs nothing after it.
    return reply;
  };
}

async function authorize(tokens: TokenService, request: FastifyRequest): Promise<'ok' | 'missing' | 'invalid' | 'forbidden'> {
  const token = presentedToken(request.headers.authorization);
  if (!token) return 'missing';
  const principal: Principal | null = await tokens.resolve(token);
  if (!principal) return 'invalid';
  return hasRole(principal, BOARD_ROLES) ? 'ok' : 'forbidden';
}
