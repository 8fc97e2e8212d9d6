/** How old a shared count may be and still be answered as it is. */
export const COUNT_FRESH_MS = 1_000;
/** Up to this age a count is answered at once while it is made again behind the request; older ones are waited for. */
export const COUNT_MAX_AGE_MS = 2_000;
/** Counts of filters nobody asked for in this long are dropped. */
export const COUNT_IDLE_MS = 60_000;
/** At most this many filters' counts are kept (the least recently asked for go first). */
export const MAX_SHARED_COUNTS = 5_000;

export interface SharedCountOptions {
  freshMs: number;
  maxAgeMs: number;
  idleMs: number;
  maxEntries: number;
  now: () => number;
  /** A recount behind a request failed: the last count is kept until it is too old, then the next request waits for a new one. */
  onBackgroundError: (error: unknown) => void;
}

interface Entry {
  value?: number;
  /** When the count that gave `value` began: its snapshot is no older than that. */
  countedAt: number;
  askedAt: number;
  counting?: Promise<number>;
}

/**
 * Counts made once per distinct filter and shared by every caller for a second
 * (stale-while-revalidate): a count begun less than `freshMs` ago is answered as it is; one begun
 * less than `maxAgeMs` ago too, while it is made again behind the request; an older one (or none)
 * is made while the request waits, and callers asking meanwhile wait for the same count. So an
 * answered count never reflects the tickets of more than `maxAgeMs` ago, and a filter asked for
 * often is counted about once a second however many ask and however much a count costs.
 */
export class SharedCounts {
  private readonly entries = new Map<string, Entry>();
  private readonly options: SharedCountOptions;

  constructor(options: Partial<SharedCountOptions> = {}) {
    this.options = {
      freshMs: COUNT_FRESH_MS,
      maxAgeMs: COUNT_MAX_AGE_MS,
      idleMs: COUNT_IDLE_MS,
      maxEntries: MAX_SHARED_COUNTS,
      now: Date.now,
      onBackgroundError: () => undefined,
      ...options,
    };
  }

  /** The count of `key`, made by `count` when there is none recent enough. */
  get(key: string, count: () => Promise<number>): Promise<number> {
    const now = this.options.now();
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key); // re-inserted last: the Map's order is least recently asked first
    else entry = { countedAt: -Infinity, askedAt: now };
    entry.askedAt = now;
    this.entries.set(key, entry);
    this.evict(now);

    const age = now - entry.countedAt;
    if (entry.value !== undefined && age < this.options.freshMs) return Promise.resolve(entry.value);
    if (entry.value !== undefined && age < this.options.maxAgeMs) {
      if (!entry.counting) this.recount(entry, count).catch(this.options.onBackgroundError);
      return Promise.resolve(entry.value);
    }
    return entry.counting ?? this.recount(entry, count);
  }

  /** How many filters' counts are kept. */
  get size(): number {
    return this.entries.size;
  }

  private recount(entry: Entry, count: () => Promise<number>): Promise<number> {
    const startedAt = this.options.now();
    const counting = count().then(
      (value) => {
        if (startedAt >= entry.countedAt) {
          entry.value = value;
          entry.countedAt = startedAt;
        }
        return value;
      },
    );
    entry.counting = counting;
    const done = () => {
      if (entry.counting === counting) entry.counting = undefined;
    };
    counting.then(done, done);
    return counting;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && now - entry.askedAt < this.options.idleMs) break;
      this.entries.delete(key);
    }
  }
}
