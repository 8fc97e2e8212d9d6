import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry';
import { HelpdeskGaugesService } from './helpdesk-gauges.service';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { WorkerMetricsService } from './worker-metrics.service';

// What the worker's health server (apps/worker) needs, through the lib's index.
export { WorkerMetricsService } from './worker-metrics.service';
export { metricsScrapeAllowed } from './metrics-token';

/**
 * Prometheus metrics (prom-client) for the api: `GET /metrics` (protected by METRICS_TOKEN when
 * set) with HTTP request durations by route, queue depths, outbox backlog, SLA breaches and
 * escalations, and the default process metrics.
 */
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, HelpdeskGaugesService, MetricsTokenGuard],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}

/** Prometheus metrics for the worker: job counts and durations per queue, process metrics (served on its health port). */
@Module({
  imports: [DiscoveryModule],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, WorkerMetricsService],
  exports: [WorkerMetricsService],
})
export class WorkerMetricsModule {}
