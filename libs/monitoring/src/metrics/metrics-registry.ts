import { collectDefaultMetrics, Registry } from 'prom-client';

/** Injection token of the app's own prom-client registry (never the global default one). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * A registry per app instance with the default process metrics, so that several apps in one
 * process (the e2e tests) never register a metric twice.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The exposition of a registry. prom-client writes NaN (an event-loop lag with no sample yet) as
 * `Nan`; Prometheus reads it, the text format spells it `NaN`: fixed here so strict parsers agree.
 */
export async function exposition(registry: Registry): Promise<string> {
  return (await registry.metrics()).replace(/ Nan$/gm, ' NaN');
}
