import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@helpdesk/config';
import { metricsScrapeAllowed } from './metrics-token';

/** /metrics is public unless METRICS_TOKEN is set; then it needs that token as a bearer token. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (metricsScrapeAllowed(this.config.METRICS_TOKEN, http.getRequest<FastifyRequest>().headers.authorization)) return true;
    void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new UnauthorizedException('The metrics token is required: Authorization: Bearer <METRICS_TOKEN>');
  }
}
