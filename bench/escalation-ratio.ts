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
