/**
 * `node dist/bench/cpu-profile-parts.js <file.cpuprofile> [requests]`: a profiled api's (or the bare
 * list reference's) samples from its first answered request on, each given to one part of a list
 * request (the first rule below that matches any frame on its stack: GC, the query's validation, the
 * throttler and its Redis commands, the token check, request logging, Helmet, Fastify's JSON, socket
 * writes, pg, the list's own code, Nest's pipeline, Fastify), with its share and, given the
 * requests answered, its ms a request. The samples are wall time on the CPU's thread: on a loaded
 * machine a descheduled process still collects them, so compare shares of two runs, not times.
 */
import { readFileSync } from 'node:fs';
import type { CallFrame, Profile } from './cpu-profile-summary';

const isSerialize = (f: CallFrame) => f.functionName === 'serialize' && /fastify\/lib\/reply/.test(f.url);

/** The parts, in the order they claim a sample. */
export const PARTS: Array<[string, (f: CallFrame) => boolean]> = [
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['module loading', (f) => /wrapSafe|compileSourceTextModule|Module\._load/.test(f.functionName)],
  ['validation (class-validator, class-transformer, the pipe)', (f) => /class-validator|class-transformer|validation\.pipe/.test(f.url)],
  ['throttler and its Redis commands', (f) => /@nestjs\/throttler|ioredis|redis-throttler|rate-limits/.test(f.url)],
  ['token and session check', (f) => /token\.service|auth\.guard|token-cache|console-sessions/.test(f.url)],
  ['request log (pino)', (f) => /pino|request-log/.test(f.url)],
  ['helmet', (f) => /helmet/.test(f.url)],
  ['JSON of the answer (Fastify serialize)', isSerialize],
  ['socket writes', (f) => !f.url && /writev|writeUtf8String|writeGeneric/.test(f.functionName)],
  ['pg', (f) => /\/pg\/|pg-protocol|pg-pool|pg-types|postgres-array/.test(f.url)],
  ['the list (finder, views, cursor)', (f) => /libs\/(intake|triage|billing|database)\//.test(f.url)],
  ['Nest (router, pipeline, adapter)', (f) => /@nestjs\/(core|common|platform-fastify)/.test(f.url)],
  ['Fastify', (f) => /fastify|find-my-way|avvio|middie/.test(f.url)],
];

export function profileParts(profile: Profile): { onCpuMs: number; parts: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number) => {
    const frames: CallFrame[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) frames.push(byId.get(x)!.callFrame);
    return frames;
  };
  const start = profile.samples.findIndex((id) => stackOf(id).some(isSerialize));
  const parts = new Map<string, number>();
  let onCpuMs = 0;
  for (let i = Math.max(start, 0); i < profile.samples.length; i++) {
    // timeDeltas[i + 1] is the time sample i stood for.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const stack = stackOf(profile.samples[i]);
    const part = PARTS.find(([, rule]) => stack.some(rule))?.[0] ?? 'other';
    parts.set(part, (parts.get(part) ?? 0) + ms);
    if (part !== 'idle') onCpuMs += ms;
  }
  return { onCpuMs, parts };
}

if (require.main === module) {
  const [file, requests] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-parts <file.cpuprofile> [requests]');
  const { onCpuMs, parts } = profileParts(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  console.log(`${file}: ${(onCpuMs / 1000).toFixed(1)} s of samples on the CPU from the first answer on (shares of that; idle apart)`);
  for (const [part, ms] of [...parts].sort((a, b) => b[1] - a[1])) {
    const perRequest = requests ? `  ${(ms / Number(requests)).toFixed(3)} ms/request` : '';
    console.log(`${(part === 'idle' ? '' : `${((ms / onCpuMs) * 100).toFixed(1)} %`).padStart(7)}${perRequest}  ${part}${part === 'idle' ? ` (${(ms / 1000).toFixed(1)} s)` : ''}`);
  }
}
