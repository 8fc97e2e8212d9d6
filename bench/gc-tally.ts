/**
 * Preloaded into a bench's api (`-r`, BENCH_GC=1, bench-stack.ts) — never into the app itself: V8's
 * garbage collections of a measured window, counted in the process. SIGWINCH starts a window
 * (v8.GCProfiler), the next SIGWINCH ends it and appends one JSON line to BENCH_GC_FILE: per kind
 * (Scavenge = young generation, MarkSweepCompact = old generation) the count, the total and the
 * longest pause in ms, and the bytes allocated in the window (the heap's growth between two
 * collections, summed: what a collection finds in use before it minus what the previous one left).
 * SIGWINCH, because its default action is to do nothing: a process without this file ignores it.
 */
import { appendFileSync } from 'node:fs';
import { GCProfiler, getHeapStatistics } from 'node:v8';

interface GcEntry {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

export interface GcWindow {
  ms: number;
  allocatedMiB: number;
  kinds: Record<string, { count: number; totalMs: number; maxMs: number }>;
  heapUsedAfterMiB: number;
}

const file = process.env.BENCH_GC_FILE;
if (file) {
  let running: { profiler: GCProfiler; startedAt: number; usedAtStart: number } | null = null;
  process.on('SIGWINCH', () => {
    if (!running) {
      const profiler = new GCProfiler();
      profiler.start();
      running = { profiler, startedAt: performance.now(), usedAtStart: getHeapStatistics().used_heap_size };
      return;
    }
    const { profiler, startedAt, usedAtStart } = running;
    running = null;
    const entries = ((profiler.stop() as unknown as { statistics: GcEntry[] } | undefined)?.statistics ?? []);
    const usedAtEnd = getHeapStatistics().used_heap_size;
    let allocated = 0;
    let previous = usedAtStart;
    const kinds: GcWindow['kinds'] = {};
    for (const e of entries) {
      allocated += Math.max(0, e.beforeGC.heapStatistics.usedHeapSize - previous);
      previous = e.afterGC.heapStatistics.usedHeapSize;
      const k = (kinds[e.gcType] ??= { count: 0, totalMs: 0, maxMs: 0 });
      k.count++;
      k.totalMs += e.cost / 1000;
      k.maxMs = Math.max(k.maxMs, e.cost / 1000);
    }
    allocated += Math.max(0, usedAtEnd - previous);
    const window: GcWindow = { ms: performance.now() - startedAt, allocatedMiB: allocated / 1048576, kinds, heapUsedAfterMiB: usedAtEnd / 1048576 };
    appendFileSync(file, `${JSON.stringify(window)}\n`);
  });
}
