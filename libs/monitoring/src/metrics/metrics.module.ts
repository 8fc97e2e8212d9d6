import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '@helpdesk/auth';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry';
import { HelpdeskGaugesService } from './helpdesk-gauges.service';
import { HttpMetrics } from './http-metrics';
import { MetricsTokenGuard } from './metrics-token.guard';
import { WorkerMetricsService } from './worker-metrics.service';

// What the api's scrape endpoint and the worker's health server need, through the lib's index.
export { WorkerMetricsService } from './worker-metrics.service';
export { metricsScrapeAllowed } from './metrics-token';
export { exposition, METRICS_REGISTRY } from './metrics-registry';
export { MetricsTokenGuard } from './metrics-token.guard';

/**
 * Prometheus metrics (prom-client) for the api, scraped at `GET /metrics` (apps/api's
 * MetricsController: METRICS_TOKEN when set, else an admin's token): HTTP request durations by route, queue
 * depths, outbox backlog, SLA breaches and escalations, and the default process metrics.
 */
@Module({
  imports: [AuthModule],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, HelpdeskGaugesService, MetricsTokenGuard, HttpMetrics],
  exports: [METRICS_REGISTRY, MetricsTokenGuard],
})
export class MetricsModule {}

/** Prometheus metrics for the worker: job counts and durations per queue, process metrics (served on its health port). */
@Module({
  imports: [DiscoveryModule],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, WorkerMetricsService],
  exports: [WorkerMetricsService],
})
export class WorkerMetricsModule {}
