/**
 * Whether a process's memory rises over a soak. Resident memory under a steady load is a sawtooth
 * (the garbage collector frees in steps, the allocator returns pages late), so the trend is the
 * Theil–Sen slope — the median of the slopes between every pair of samples — which one high
 * sample or a collection's drop does not tilt the way a least-squares line is tilted.
 */
export interface RssSample {
  /** Seconds since the load started. */
  at: number;
  /** Bytes. */
  rss: number;
}

export interface RssTrend {
  /** MiB per minute over the samples after the warm-up. */
  slopeMiBPerMinute: number;
  firstMiB: number;
  lastMiB: number;
  peakMiB: number;
  /** Samples the slope was taken over. */
  samples: number;
  rising: boolean;
}

const MIB = 2 ** 20;

export function theilSenSlope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j].x - points[i].x;
      if (dx !== 0) slopes.push((points[j].y - points[i].y) / dx);
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
}

/**
 * The trend of the samples taken from `warmupS` on (a process fills its caches and its heap finds
 * its size first); rising when it climbs faster than `maxMiBPerMinute`. Needs at least three
 * samples after the warm-up to call anything rising.
 */
export function rssTrend(samples: readonly RssSample[], options: { warmupS: number; maxMiBPerMinute: number }): RssTrend {
  const steady = samples.filter((s) => s.at >= options.warmupS && s.rss > 0);
  const slopeMiBPerMinute = theilSenSlope(steady.map((s) => ({ x: s.at / 60, y: s.rss / MIB })));
  const round = (n: number) => +n.toFixed(2);
  return {
    slopeMiBPerMinute: round(slopeMiBPerMinute),
    firstMiB: round((steady[0]?.rss ?? 0) / MIB),
    lastMiB: round((steady[steady.length - 1]?.rss ?? 0) / MIB),
    peakMiB: round(Math.max(0, ...samples.map((s) => s.rss)) / MIB),
    samples: steady.length,
    rising: steady.length >= 3 && slopeMiBPerMinute > options.maxMiBPerMinute,
  };
}
