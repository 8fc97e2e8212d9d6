/** A token's "last used" is written at most this often (per token and process), not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Notes the uses of tokens and writes their `last_used_at` in the background: at most once a
 * minute per token, the tokens of one turn of the event loop in one statement.
 */
export class TokenUsage {
  /** When each token's use was last written (by this process, or as read from its row). */
  private readonly written = new Map<string, number>();
  private readonly pending = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly write: (tokenIds: string[]) => Promise<void>,
    private readonly max = 10_000,
  ) {}

  /** A use of the token now; `lastUsedAt` is its row's value when the row was just read. */
  used(tokenId: string, lastUsedAt: Date | null = null, now = Date.now()): void {
    const seen = Math.max(this.written.get(tokenId) ?? 0, lastUsedAt?.getTime() ?? 0);
    if (now - seen < LAST_USED_RESOLUTION_MS) {
      this.remember(tokenId, seen);
      return;
    }
    this.remember(tokenId, now);
    this.pending.add(tokenId);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ids = [...this.pending];
      this.pending.clear();
      void this.write(ids);
    });
  }

  private remember(tokenId: string, at: number): void {
    if (!this.written.has(tokenId) && this.written.size >= this.max) this.written.clear();
    this.written.set(tokenId, at);
  }
}
