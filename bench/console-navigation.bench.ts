/**
 * `npm run bench:console-navigation`: what a console document's headers and the tab a navigation starts
 * in cost Chromium before the page's first request, without the API or a database. A bare HTTP server
 * serves the console build (BENCH_CONSOLE_DIR, default this build's dist/console) with the api's own
 * Content-Security-Policy and `Link` header (console-preloads.ts) and Helmet's other headers; the API's
 * paths answer 401. Each variant is navigated BENCH_REPEAT times (default 5), interleaved so that the
 * machine's load falls on all alike, each in a new browser context (a cold cache), and traced:
 * - `coop` / `nocoop`: Helmet's `Cross-Origin-Opener-Policy: same-origin` on the document, or none;
 * - `full` / `fetch` / `none`: the `Link` header as the api sends it, its API requests alone (round 4's), or none;
 * - `blank` / `cross`: the navigation starts in the new tab's about:blank (as bench:console's), or in a
 *   page of another site (`localhost` against `127.0.0.1`), as an agent's typed or linked navigation does.
 * Per navigation: the document's responseEnd → the first resource's startTime (Navigation and Resource
 * Timing, the page's own clock), the trace's steps (chromium-trace.ts: a new renderer or the tab's own,
 * commit sent → the renderer's commit task, its CPU), and the renderer's nice value while it committed
 * (/proc: Chromium starts a new renderer in the background, nice 5, and raises it once it shows a page).
 * BENCH_NAVIGATION_VARIANTS: a comma-separated list of `coop|nocoop:full|fetch|none:blank|cross`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { consoleChunks, consoleEntry } from '../apps/api/src/console/console-chunks';
import { consolePreloads, preloadLinkHeader } from '../apps/api/src/console/console-preloads';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../apps/api/src/console/content-security-policy';
import { launchChromium } from '../libs/devstack/src/chromium';
import { envNumber, say } from './bench-stack';
import { navigationSteps, TRACE_CATEGORIES } from './chromium-trace';

const ROOT = resolve(process.env.BENCH_CONSOLE_DIR ?? resolve(__dirname, '..', 'console'));
const REPEAT = envNumber('BENCH_REPEAT', 5);
const VARIANTS = (process.env.BENCH_NAVIGATION_VARIANTS ?? 'coop:full:blank,nocoop:full:blank,coop:fetch:blank,coop:none:blank,coop:full:cross,nocoop:full:cross').split(',').map((v) => v.trim());
/** Helmet's defaults that the api sends on every answer, COOP apart (configure-app.ts). */
const HELMET = {
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8' };

/** The nice value of every renderer process now (field 19 of /proc/<pid>/stat). */
function rendererNice(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      nice.set(Number(pid), Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[16]));
    } catch {
      // the process ended meanwhile
    }
  }
  return nice;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function main(): Promise<void> {
  const entry = consoleEntry(ROOT);
  const chunksOf = consoleChunks(ROOT);
  let variant = { coop: true, link: 'full' };
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    for (const [name, value] of Object.entries(HELMET)) response.setHeader(name, value);
    if (path === '/blank') return response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another site</title>');
    if (variant.coop) response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (path.startsWith('/api/')) return response.writeHead(401, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' }).end('{"status":401}');
    const document = path === '/' || !extname(path);
    const file = join(ROOT, document ? 'index.html' : path);
    if (document) {
      response.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
      const { requests, modules, later = [] } = consolePreloads(request.url ?? '/');
      const link = variant.link === 'full' ? preloadLinkHeader({ entry, requests, modules: modules.flatMap(chunksOf), later }) : variant.link === 'fetch' ? preloadLinkHeader({ requests: [...requests, ...later] }) : '';
      if (link) response.setHeader('Link', link);
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': document ? 'no-cache' : 'public, max-age=31536000, immutable' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const rows = new Map<string, Array<{ gap: number; sentToCommit: number | null; commitCpu: number | null; newRenderer: boolean; nice: string }>>();
  try {
    for (let i = 0; i < REPEAT; i++) {
      for (const name of VARIANTS) {
        const [coop, link, start] = name.split(':');
        variant = { coop: coop === 'coop', link };
        const context = await browser.newContext();
        const page = await context.newPage();
        if (start === 'cross') await page.goto(`${base.replace('127.0.0.1', 'localhost')}/blank`);
        await browser.startTracing(page, { categories: TRACE_CATEGORIES });
        const samples: Array<Map<number, number>> = [];
        const sampler = setInterval(() => samples.push(rendererNice()), 15);
        await page.goto(`${base}/`, { waitUntil: 'load' });
        clearInterval(sampler);
        const gap = await page.evaluate(() => {
          const [document] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
          return Math.min(...performance.getEntriesByType('resource').map((entry) => entry.startTime)) - document.responseEnd;
        });
        const steps = navigationSteps(await browser.stopTracing());
        // The committing renderer's nice values as sampled, in order (5 → 0: started in the background, raised later).
        const nice = [...new Set(samples.map((sample) => sample.get(steps.rendererPid ?? -1)).filter((value) => value !== undefined))].join(' → ') || '—';
        const sentToCommit = steps.commitStartMs !== null && steps.commitSentMs !== null ? steps.commitStartMs - steps.commitSentMs : null;
        rows.set(name, [...(rows.get(name) ?? []), { gap, sentToCommit, commitCpu: steps.commitCpuMs, newRenderer: steps.newRenderer, nice }]);
        say(`${name.padEnd(17)} responseEnd → first request ${gap.toFixed(0).padStart(5)} ms; ${steps.newRenderer ? 'new renderer' : "tab's renderer"}, commit sent → its task ${sentToCommit?.toFixed(0) ?? '—'} ms (CPU ${steps.commitCpuMs?.toFixed(0) ?? '—'} ms); its nice ${nice}`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  for (const [name, samples] of rows) {
    const known = samples.map((s) => s.sentToCommit).filter((v): v is number => v !== null);
    say(`${name.padEnd(17)} p50: responseEnd → first request ${median(samples.map((s) => s.gap)).toFixed(0)} ms, commit sent → task ${known.length ? median(known).toFixed(0) : '—'} ms; new renderer in ${samples.filter((s) => s.newRenderer).length}/${samples.length}`);
    process.stdout.write(`BENCH_RESULT ${JSON.stringify({ bench: 'console-navigation', name, gapP50: median(samples.map((s) => s.gap)), sentToCommitP50: known.length ? median(known) : null, newRenderer: samples.filter((s) => s.newRenderer).length, runs: samples.length })}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
