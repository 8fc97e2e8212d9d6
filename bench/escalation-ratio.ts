/**
 * `bench:escalation`'s judged ratio (issue #16): escalations delivered/s ÷ the webhook-only
 * reference's jobs/s, the reference run several times in the same bench (before, between and after
 * the product's phases) so that one slow or fast reference window does not decide it.
 */

/** The reference's runs summarised: median, slowest, fastest and the spread between them. */
export interface ReferenceRuns {
  runs: number;
  median: number;
  slowest: number;
  fastest: number;
  /** (fastest − slowest) ÷ median. */
  spread: number;
}

/** The product's rate against the reference's median, slowest and fastest run. */
export interface DeliveryRatio {
  ofMedian: number;
  ofSlowest: number;
  ofFastest: number;
}

export function referenceRuns(rates: number[]): ReferenceRuns {
  if (rates.length === 0 || rates.some((r) => !(r > 0) || !Number.isFinite(r))) throw new Error(`reference rates must be positive numbers: ${JSON.stringify(rates)}`);
  const mid = median(rates);
  const slowest = Math.min(...rates);
  const fastest = Math.max(...rates);
  return { runs: rates.length, median: mid, slowest, fastest, spread: (fastest - slowest) / mid };
}

export function deliveryRatio(delivered: number, reference: ReferenceRuns): DeliveryRatio {
  return { ofMedian: delivered / reference.median, ofSlowest: delivered / reference.slowest, ofFastest: delivered / reference.fastest };
}

/** The median of a few numbers (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Redis's command counts from `INFO commandstats` (`cmdstat_<command>:calls=<n>,…`), by command. */
export function redisCommandCalls(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]] = Number(m[2]);
  return calls;
}

/**
 * Commands per job between two `redisCommandCalls` readings: the total and the most called (up to
 * `top`), each to two decimals, and every command that ran (`all`, three decimals); `info` (the
 * reading itself) left out.
 */
export function perJob(
  before: Record<string, number>,
  after: Record<string, number>,
  jobs: number,
  top = 6,
): { total: number; top: Array<[string, number]>; all: Record<string, number> } {
  const round = (x: number) => Math.round(x * 100) / 100;
  const delta = Object.entries(after)
    .filter(([command]) => command !== 'info')
    .map(([command, n]): [string, number] => [command, (n - (before[command] ?? 0)) / jobs])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    total: round(delta.reduce((sum, [, n]) => sum + n, 0)),
    top: delta.slice(0, top).map(([command, n]) => [command, round(n)]),
    all: Object.fromEntries(delta.map(([command, n]) => [command, Math.round(n * 1000) / 1000])),
  };
}
