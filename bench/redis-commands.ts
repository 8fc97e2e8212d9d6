/** Redis's command counts (`INFO commandstats`) for the benches' commands-per-item figures, a count the load does not move. */

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

/**
 * Redis's CPU time by command (`INFO commandstats`, `usec=`: µs spent running it, not waiting): a
 * script's `evalsha` holds the time of the commands it ran, which appear under their own names too.
 */
export function redisCommandUsec(info: string): Record<string, number> {
  const usec: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=\d+,usec=(\d+)/gm)) usec[m[1]] = Number(m[2]);
  return usec;
}
