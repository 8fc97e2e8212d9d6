import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { hasRole, Principal, StaffRole, TokenService } from '@helpdesk/auth';
import { sendProblem, toProblem } from '@helpdesk/http';

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
 * Express middleware in front of Bull Board: 401 (with a Basic challenge, so a browser shows its
 * login dialog) without a valid token, 403 for a principal without a board role.
 */
export function boardAuthMiddleware(tokens: TokenService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void authorize(tokens, req).then(
      (outcome) => {
        if (outcome === 'ok') return next();
        const instance = req.originalUrl?.split('?')[0];
        if (outcome === 'forbidden') {
          return sendProblem(res, toProblem(new ForbiddenException(`The queue board needs one of the roles: ${[StaffRole.GlobalAdmin, ...BOARD_ROLES].join(', ')}`), instance));
        }
        res.setHeader('WWW-Authenticate', BOARD_REALM);
        sendProblem(res, toProblem(new UnauthorizedException(outcome === 'missing'
          ? 'A token is required: Authorization: Bearer <token>, or Basic with the token as password'
          : 'The token is invalid or revoked'), instance));
      },
      (error: unknown) => next(error),
    );
  };
}

async function authorize(tokens: TokenService, req: Request): Promise<'ok' | 'missing' | 'invalid' | 'forbidden'> {
  const token = presentedToken(req.headers.authorization);
  if (!token) return 'missing';
  const principal: Principal | null = await tokens.resolve(token);
  if (!principal) return 'invalid';
  return hasRole(principal, BOARD_ROLES) ? 'ok' : 'forbidden';
}
