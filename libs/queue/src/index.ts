// First: every Redis client of the apps can be ended while it waits to reconnect.
import './ending-reconnecting-clients';
export * from './queue-names';
export * from './job-payloads';
export * from './job-options';
export * from './redis-connection';
export * from './redis-health.indicator';
export * from './live-events';
export * from './micro-batcher';
export * from './each-of-job';
export * from './queue.module';
export * from './redis-broadcast';
