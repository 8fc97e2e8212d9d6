/**
 * Libraries every server loads at start: pg_prewarm's autoprewarm writes the list of the blocks in
 * PostgreSQL's buffers to `autoprewarm.blocks` every 5 minutes and at shutdown, and after a start reads
 * them in again in the background. Without it a restart empties the buffers and the first searches
 * (each reads 100–1,000 blocks of `ticket_search` and `tickets` no other search had read since) wait
 * for them one by one, from storage when the machine's page cache has lost them too
 * (bench/README.md, "The first searches after PostgreSQL starts").
 */
export const PRELOADED_LIBRARIES = ['pg_prewarm'] as const;

/**
 * The `postgres` flags after the fixed ones: `extraFlags`, with its `shared_preload_libraries` (if
 * any) merged into PRELOADED_LIBRARIES instead of replacing them (the last `-c` of a name wins).
 */
export function serverFlags(extraFlags: readonly string[] = []): string[] {
  const libraries: string[] = [...PRELOADED_LIBRARIES];
  const rest: string[] = [];
  for (let i = 0; i < extraFlags.length; i++) {
    const setting = extraFlags[i] === '-c' && i + 1 < extraFlags.length ? /^shared_preload_libraries=(.*)$/.exec(extraFlags[i + 1]) : null;
    if (!setting) {
      rest.push(extraFlags[i]);
      continue;
    }
    for (const name of setting[1].split(',').map((n) => n.trim()).filter(Boolean)) if (!libraries.includes(name)) libraries.push(name);
    i++;
  }
  return ['-c', `shared_preload_libraries=${libraries.join(',')}`, ...rest];
}
