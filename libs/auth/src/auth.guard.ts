import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CUSTOMERS_KEY, CUSTOMERS_ONLY_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { hasRole, Principal } from './principal';
import { StaffRole } from './roles';
import { ConsoleSessionsService, ENDED_SESSION_COOKIES, refuseWriteWithoutCsrf, RequestSession, SESSION_COOKIE, SessionEndedException } from './sessions/console-sessions.service';
import { TokenService } from './token.service';

export type AuthenticatedRequest = FastifyRequest & {
  principal?: Principal;
  /** The bearer token whose principal `principal` is, when the api's edge resolved it (the guard then does not resolve it again). */
  principalFromBearer?: string;
  /** Set when the session cookie authenticated the request (by the api's edge, or else here). */
  consoleSession?: RequestSession;
  /** Parsed by @fastify/cookie (registered by the api). */
  cookies?: Record<string, string | undefined>;
};

/**
 * Authentication and role authorisation for every route not marked @Public(): a bearer token (API
 * clients), or else the web console's session cookie, whose writes must carry the session's CSRF
 * token in X-CSRF-Token (a forged cross-site request carries the cookie but cannot know the token).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const sessionId = req.cookies?.[SESSION_COOKIE];
    const principal = req.headers.authorization !== undefined || !sessionId ? await this.bearer(req, reply) : await this.session(req, reply, sessionId);
    req.principal = principal;

    if (principal.kind === 'customer') {
      if (this.reflector.getAllAndOverride<boolean>(CUSTOMERS_KEY, targets)) return true;
      throw new ForbiddenException('Customer tokens may not use this operation');
    }
    if (this.reflector.getAllAndOverride<boolean>(CUSTOMERS_ONLY_KEY, targets)) {
      throw new ForbiddenException('This operation is for customers only');
    }
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(principal, roles)) {
      throw new ForbiddenException(`This operation needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async bearer(req: AuthenticatedRequest, reply: FastifyReply): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // The api's edge (a Fastify hook before the body) resolved this very header's token already:
    // its principal is taken as it is, not hashed and looked up a second time for the same request.
    if (match && req.principal && req.principalFromBearer === match[1]) return req.principal;
    if (!match) {
      void reply.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required: Authorization: Bearer <token> (or the console session cookie)');
    }
    const principal = await this.tokens.resolve(match[1]);
    if (!principal) {
      void reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException('The bearer token is invalid or revoked');
    }
    return principal;
  }

  private async session(req: AuthenticatedRequest, reply: FastifyReply, sessionId: string): Promise<Principal> {
    const session = await this.sessions.resolveFor(req, sessionId);
    if (!session) {
      void reply.header('Set-Cookie', ENDED_SESSION_COOKIES);
      throw new SessionEndedException();
    }
    refuseWriteWithoutCsrf(req, sessionId);
    return session.principal;
  }
}
