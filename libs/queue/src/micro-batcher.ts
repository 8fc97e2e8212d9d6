/** One caller's item in a batch, and how to answer that caller. */
export interface BatchEntry<I, O> {
  readonly item: I;
  /** Answers this caller (a promise: the caller gets its outcome, e.g. the item queued again). */
  resolve(value: O | PromiseLike<O>): void;
  reject(error: unknown): void;
  /** True once resolved or rejected. */
  readonly settled: boolean;
}

export interface MicroBatcherOptions {
  /** Most items in one batch. */
  maxBatchSize: number;
  /**
   * Most batches running at once. Items that arrive while every slot is busy wait and leave
   * together in the next batch: the busier the batcher, the larger its batches.
   */
  maxConcurrentBatches: number;
}

/**
 * Gathers the calls made at about the same time into batches: an item added while a slot is free
 * leaves at the end of the current event-loop turn (with every item added in that turn); items
 * added while all slots are busy leave together when one frees. Idle, an item waits for nothing
 * but the rest of the turn; under load the batches grow by themselves (no timer, no size to tune
 * for the load).
 *
 * `run` answers each entry (`resolve`/`reject`) as soon as it knows. When `run` throws, the
 * entries it has not answered yet are run again one by one (in this slot), so an item that breaks
 * a batch fails alone and the others go through; a batch of one that throws rejects its entry.
 *
 * Generic on purpose: it is the scheduling, not the domain. TriageService batches whole triages
 * with it, KnownIssuesService the known-issue searches, DeliveryBatches (escalation) the reads and
 * the durable writes of the deliveries in flight.
 */
export class MicroBatcher<I, O> {
  private readonly pending: Array<BatchEntry<I, O>> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (batch: Array<BatchEntry<I, O>>) => Promise<void>,
    private readonly options: MicroBatcherOptions,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const entry = {
        item,
        settled: false,
        resolve: (value: O | PromiseLike<O>) => {
          if (entry.settled) return;
          entry.settled = true;
          resolve(value);
        },
        reject: (error: unknown) => {
          if (entry.settled) return;
          entry.settled = true;
          reject(error);
        },
      };
      this.pending.push(entry);
      this.schedule();
    });
  }

  /** Items waiting for a batch, and batches running (for tests and metrics). */
  get load(): { waiting: number; running: number } {
    return { waiting: this.pending.length, running: this.running };
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.maxConcurrentBatches) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn: every job that arrived with this one joins it.
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.running < this.options.maxConcurrentBatches && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatchSize);
      this.running++;
      void this.runBatch(batch).finally(() => {
        this.running--;
        if (this.pending.length > 0) this.schedule();
      });
    }
  }

  private async runBatch(batch: Array<BatchEntry<I, O>>): Promise<void> {
    try {
      await this.run(batch);
    } catch (error) {
      const left = batch.filter((e) => !e.settled);
      if (left.length === 1 && batch.length === 1) {
        left[0].reject(error);
      } else {
        // One by one: only the item that breaks the batch fails.
        for (const entry of left) {
          try {
            await this.run([entry]);
          } catch (single) {
            entry.reject(single);
          }
        }
      }
    }
    for (const entry of batch) if (!entry.settled) entry.reject(new Error('batch finished without answering this item'));
  }
}
