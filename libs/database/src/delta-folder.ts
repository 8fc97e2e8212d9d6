import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Folds a table of counter deltas into its counters every `everyMs` (worker): one fold at a time in
 * this process, and across processes by the transaction-level advisory lock `lockKey`; shutdown
 * waits for a running fold. Subclasses say what a fold is.
 */
export abstract class DeltaFolder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly lockKey: number,
    private readonly everyMs: number,
  ) {}

  /** Folds the deltas inside the caller's transaction; returns how many delta rows it folded. */
  protected abstract fold(manager: EntityManager): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.compact()
        .catch((e: Error) => this.logger.warn(`compaction failed: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** How many delta rows were folded (0 when another process is folding). */
  compact(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [this.lockKey]);
      return locked ? this.fold(manager) : 0;
    });
  }
}
