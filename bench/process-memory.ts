/**
 * Which part of the API's memory a bench sees grow: the API's own Prometheus scrape (`GET /metrics`,
 * prom-client's default process metrics: the V8 heap committed and used, per heap space, memory
 * outside the heap) beside the kernel's split of the resident set (anonymous memory — the heap,
 * malloc's arenas, buffers — against mapped files: the node binary and its libraries).
 */
import { procStatus } from './bench-stack';

export interface MemoryBreakdown {
  /** /proc/<pid>/status, bytes. */
  rss: number;
  rssAnon: number;
  rssFile: number;
  /** From the scrape, bytes (0 when the scrape failed). */
  heapTotal: number;
  heapUsed: number;
  external: number;
  /** Committed size of each V8 heap space (`new`, `old`, `code`, `large_object`, …), bytes. */
  spaces: Record<string, number>;
}

const gauge = (text: string, name: string): number => Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? 0);

function spaces(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^nodejs_heap_space_size_total_bytes\{space="([a-z_]+)"\} ([0-9.e+]+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** The API's memory now: its scrape (with `token`, a global_admin's) and its /proc status. */
export async function memoryBreakdown(apiUrl: string, token: string, pid: number, timeoutMs = 10_000): Promise<MemoryBreakdown> {
  const rss = procStatus(pid, 'VmRSS');
  const rssAnon = procStatus(pid, 'RssAnon');
  const rssFile = procStatus(pid, 'RssFile');
  let text = '';
  try {
    const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) text = await res.text();
  } catch {
    // A scrape that fails leaves the heap figures at 0 for this sample (left out of the trends).
  }
  return {
    rss,
    rssAnon,
    rssFile,
    heapTotal: gauge(text, 'nodejs_heap_size_total_bytes'),
    heapUsed: gauge(text, 'nodejs_heap_size_used_bytes'),
    external: gauge(text, 'nodejs_external_memory_bytes'),
    spaces: spaces(text),
  };
}

const m = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** One line: `rss 283 (anon 230, file 53) heap 120/95 (new 32, old 70, code 8) external 12` in MiB. */
export function describeMemory(b: MemoryBreakdown): string {
  const s = b.spaces;
  return `rss ${m(b.rss)} (anon ${m(b.rssAnon)}, file ${m(b.rssFile)}) heap committed/used ${m(b.heapTotal)}/${m(b.heapUsed)} ` +
    `(new ${m(s.new ?? 0)}, old ${m(s.old ?? 0)}, code ${m(s.code ?? 0)}, large ${m((s.large_object ?? 0) + (s.code_large_object ?? 0) + (s.new_large_object ?? 0))}) ` +
    `external ${m(b.external)} MiB`;
}

/** The same in MiB for a BENCH_RESULT line. */
export function memoryMiB(b: MemoryBreakdown): Record<string, number> {
  const r = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
  return {
    rss: r(b.rss),
    rssAnon: r(b.rssAnon),
    rssFile: r(b.rssFile),
    heapTotal: r(b.heapTotal),
    heapUsed: r(b.heapUsed),
    external: r(b.external),
    ...Object.fromEntries(Object.entries(b.spaces).map(([space, bytes]) => [`space_${space}`, r(bytes)])),
  };
}
