export * from './queue-names';
export * from './job-payloads';
export * from './job-options';
export * from './redis-connection';
export * from './redis-health.indicator';
export * from './live-events';
export * from './queue.module';
