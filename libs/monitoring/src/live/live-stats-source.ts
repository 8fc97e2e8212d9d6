/**
 * Where the stream's `stats` events come from. Optional: without a provider for this token the
 * stream sends `{at}`. Plug the stats service in with
 * `{ provide: LIVE_STATS_SOURCE, useExisting: StatsService }` (and import StatsModule) in LiveEventsModule.
 */
export interface LiveStatsSource {
  snapshot(): Promise<object> | object;
}

export const LIVE_STATS_SOURCE = Symbol('LIVE_STATS_SOURCE');
