import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CUSTOMERS_KEY, PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { hasRole, Principal } from './principal';
import { StaffRole } from './roles';
import { TokenService } from './token.service';

/** Bearer-token authentication and role authorisation for every route not marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      void context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required: Authorization: Bearer <token>');
    }
    const principal = await this.tokens.resolve(match[1]);
    if (!principal) {
      void context.switchToHttp().getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException('The bearer token is invalid or revoked');
    }
    req.principal = principal;

    if (principal.kind === 'customer') {
      if (this.reflector.getAllAndOverride<boolean>(CUSTOMERS_KEY, targets)) return true;
      throw new ForbiddenException('Customer tokens may not use this operation');
    }
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(principal, roles)) {
      throw new ForbiddenException(`This operation needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
