import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, StaffRole, TokenService } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { metricsScrapeAllowed } from './metrics-token';

/** Who may scrape the API's /metrics with a staff token (global_admin always may). */
export const METRICS_ROLES: readonly StaffRole[] = [StaffRole.AdminAgent];

/**
 * /metrics with METRICS_TOKEN set needs that token as a bearer token (what a Prometheus scrape
 * job is given); without it, the token of a global_admin or admin_agent — never nobody's.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const authorization = http.getRequest<FastifyRequest>().headers.authorization;
    if (this.config.METRICS_TOKEN) {
      if (metricsScrapeAllowed(this.config.METRICS_TOKEN, authorization)) return true;
      void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('The metrics token is required: Authorization: Bearer <METRICS_TOKEN>');
    }
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const principal = token ? await this.tokens.resolve(token) : null;
    if (!principal) {
      void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('A global_admin or admin_agent token is required (or set METRICS_TOKEN for a scrape job): Authorization: Bearer <token>');
    }
    if (!hasRole(principal, METRICS_ROLES)) throw new ForbiddenException(`Metrics need one of the roles: ${[StaffRole.GlobalAdmin, ...METRICS_ROLES].join(', ')}`);
    return true;
  }
}
