/**
 * Preloaded into the console bench's api (`-r`, bench-stack.ts's `apiNodeFlags`) — never into the app itself:
 * appends each server-rendered page's RenderTrace (apps/api/src/console/server-render.ts, published on its
 * diagnostics channel once the document has ended) as one JSON line to BENCH_RENDER_TRACE_FILE. Without a
 * subscriber the api measures nothing.
 */
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import type { RenderTrace } from '../apps/api/src/console/server-render';

/** The channel's name, as server-render.ts's RENDER_TRACE has it. */
export const RENDER_TRACE_CHANNEL = 'helpdesk:console-render';

/** A trace as a line of the file: instants and durations rounded to 0.1 ms. */
export type TraceLine = Omit<RenderTrace, 'cpuAtStart' | 'startedAt'>;

const file = process.env.BENCH_RENDER_TRACE_FILE;
if (file) {
  const round = (value: unknown): unknown => (typeof value === 'number' ? Math.round(value * 10) / 10 : value);
  subscribe(RENDER_TRACE_CHANNEL, (message) => {
    const { cpuAtStart: _cpu, startedAt: _at, ...line } = message as RenderTrace;
    appendFileSync(file, `${JSON.stringify(line, (_key, value: unknown) => round(value))}\n`);
  });
}
