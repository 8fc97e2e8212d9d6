export * from './stats/stats.module';
export * from './stats/stats.service';
export * from './stats/ticket-counters.service';
export * from './stats/counter-compactor.service';
export * from './live/live-events.module';
export * from './reports/reports.module';
export * from './metrics/metrics.module';
