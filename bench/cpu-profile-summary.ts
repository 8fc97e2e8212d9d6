/**
 * `node dist/bench/cpu-profile-summary.js [file.cpuprofile]`: where a profiled API spent its CPU
 * (self time per package and per function). Without an argument, the newest profile that
 * BENCH_CPU_PROF=1 left in $TMPDIR/helpdesk-bench-profiles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILE_DIR } from './bench-stack';

/** One frame of a V8 `.cpuprofile`'s call tree. */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
/** A V8 `.cpuprofile` (node --cpu-prof). */
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function newest(): string {
  const files = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(PROFILE_DIR, f));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${PROFILE_DIR}`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const app = /\/(apps|libs)\/([^/]+)\//.exec(url);
  return app ? `${app[1]}/${app[2]}` : url;
}

const file = process.argv[2] ?? newest();
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const perPackage = new Map<string, number>();
const perFunction = new Map<string, number>();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id)!;
  const pkg = packageOf(callFrame.url, callFrame.functionName);
  perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + us);
  const fn = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(apps|libs)\//, '$1/')}:${callFrame.lineNumber + 1}`;
  perFunction.set(fn, (perFunction.get(fn) ?? 0) + us);
}

// Inclusive: a sample counts for every package on its stack (once per package).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const { callFrame } = byId.get(cur)!;
    seen.add(packageOf(callFrame.url, callFrame.functionName));
  }
  for (const pkg of seen) inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const idle = perPackage.get('(idle)') ?? 0;
const pct = (us: number) => `${((us / (total - idle)) * 100).toFixed(1).padStart(5)} %`;
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, n);

process.stdout.write(`${file}\n${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled, ${((total - idle) / 1e6).toFixed(1)} s on CPU (idle excluded)\n\nself time per package:\n`);
for (const [k, us] of top(perPackage, 25)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
process.stdout.write('\ninclusive time per package (on the stack):\n');
for (const [k, us] of top(inclusive, 25)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
process.stdout.write('\nself time per function:\n');
for (const [k, us] of top(perFunction, 40)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
