/**
 * Preloaded into a bench's api and worker (`BENCH_APP_NODE_ARGS="-r <abs>/dist/bench/gc-log.js"`
 * with BENCH_GC_LOG_DIR set) — never into the app itself: every garbage collection (kind and pause)
 * and every event-loop stall over STALL_MS, with epoch instants, one file per process
 * (`<api|worker>-<pid>.log`), so that a bench can count them in its own measured window
 * (`gcLogWindow`, bench:escalation's phase 2).
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** A stall: the 5 ms timer fired this much later than due. */
const STALL_MS = 15;
const KINDS: Record<number, string> = { 1: 'scavenge', 2: 'minorMarkSweep', 4: 'markCompact', 8: 'incremental', 16: 'weakCallbacks' };

export interface GcLogSummary {
  file: string;
  /** Per kind: count, pauses summed and the longest (ms). */
  gc: Record<string, { count: number; totalMs: number; maxMs: number }>;
  stalls: { count: number; totalMs: number; maxMs: number };
}

/** The collections and stalls of one process's log lines that began within [from, to] (epoch ms). */
export function summariseGcLog(file: string, text: string, from: number, to: number): GcLogSummary {
  const out: GcLogSummary = { file, gc: {}, stalls: { count: 0, totalMs: 0, maxMs: 0 } };
  const add = (s: { count: number; totalMs: number; maxMs: number }, ms: number) => {
    s.count++;
    s.totalMs = Math.round((s.totalMs + ms) * 10) / 10;
    s.maxMs = Math.max(s.maxMs, ms);
  };
  for (const line of text.split('\n')) {
    const [what, at, ms, kind] = line.split(' ');
    const t = Number(at);
    if (!(t >= from && t <= to)) continue;
    if (what === 'gc') add((out.gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 }), Number(ms));
    else if (what === 'stall') add(out.stalls, Number(ms));
  }
  return out;
}

/** Every process log in `dir`, summarised for the window. */
export function gcLogWindow(dir: string, from: number, to: number): GcLogSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => summariseGcLog(f, readFileSync(join(dir, f), 'utf8'), from, to));
}

const dir = process.env.BENCH_GC_LOG_DIR;
// Only when preloaded (`-r`: no main module yet), never in a bench that imports gcLogWindow.
if (dir && require.main === undefined && !process.env.JEST_WORKER_ID) {
  const role = (process.argv[1] ?? '').includes('worker') ? 'worker' : 'api';
  const file = join(dir, `${role}-${process.pid}.log`);
  const origin = performance.timeOrigin;
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    appendFileSync(file, `${lines.join('\n')}\n`);
    lines = [];
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      lines.push(`gc ${Math.round(origin + e.startTime)} ${e.duration.toFixed(2)} ${KINDS[kind] ?? kind}`);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let lastFlush = last;
  setInterval(() => {
    const now = performance.now();
    if (now - last > STALL_MS) lines.push(`stall ${Math.round(origin + last)} ${(now - last - 5).toFixed(1)}`);
    last = now;
    if (now - lastFlush > 1000) {
      flush();
      lastFlush = now;
    }
  }, 5).unref();
  process.on('exit', flush);
}
