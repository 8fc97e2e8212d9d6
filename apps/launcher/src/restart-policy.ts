/** A crash this long after a start ends a run of crashes: the process had been doing its work. */
export const HEALTHY_AFTER_MS = 60_000;
/** Crashes in a row (each sooner than HEALTHY_AFTER_MS after its start) before giving up. */
export const MAX_CRASHES_IN_A_ROW = 5;
/** Wait before restart n: 0.5 s, 1 s, 2 s, 4 s, … up to 8 s. */
export const RESTART_BACKOFF_MS = 500;
export const MAX_RESTART_BACKOFF_MS = 8_000;

/**
 * When to restart a supervised process that died, and when to stop trying. Counting crashes by
 * how long each run lasted, rather than crashes per minute of wall-clock time, gives up on a
 * process that can never start even when each start is slow (a loaded machine), and never gives
 * up on one that crashes rarely.
 */
export class RestartPolicy {
  private crashesInARow = 0;

  /** A crash `ranForMs` after the process was started: the delay before starting it again, or undefined to give up. */
  afterCrash(ranForMs: number): number | undefined {
    if (ranForMs >= HEALTHY_AFTER_MS) this.crashesInARow = 0;
    this.crashesInARow += 1;
    if (this.crashesInARow >= MAX_CRASHES_IN_A_ROW) return undefined;
    return Math.min(RESTART_BACKOFF_MS * 2 ** (this.crashesInARow - 1), MAX_RESTART_BACKOFF_MS);
  }

  get crashes(): number {
    return this.crashesInARow;
  }
}
