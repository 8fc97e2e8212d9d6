import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry';

export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The route pattern a request matched (`/api/v1/tickets/:id`), never the raw URL; `unmatched`
 * when no route took it. A wildcard pattern (`/api/v1*path`) is where Nest mounts middleware,
 * which is all an unknown path under the prefix ever matches (no controller route has one).
 */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || path.includes('*')) return 'unmatched';
  const base = req.baseUrl ?? '';
  return base && !path.startsWith(base) ? `${base}${path === '/' ? '' : path}` : path;
}

/** `http_request_duration_seconds{method, route, status_code}`, measured when the response is finished. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests to the api, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.duration.observe({ method: req.method, route: routeLabel(req), status_code: String(res.statusCode) }, seconds);
    });
    next();
  }
}
