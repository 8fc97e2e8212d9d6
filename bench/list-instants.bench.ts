/**
 * `node dist/bench/list-instants.bench.js`: what a list page's instants cost the API, in one process,
 * the two ways alternating (a ratio that holds under a loaded machine): 51 rows of a list page with
 * their ten instants as PostgreSQL's text, read as pg's Dates (`parseTimestamptz`, main) or as ISO
 * text (`timestamptzText`, TicketFinder's list statements), then each row's view with its SLA block
 * and the page's JSON. Checks that both give the same JSON. BENCH_ROUNDS (default 20) rounds of
 * BENCH_PAGES (default 2,000) pages each way.
 */
import { parseTimestamptz, timestamptzText } from '@helpdesk/database';
import { ticketListItemFromRow, TicketListRow } from '@helpdesk/intake';
import { SlaClockService } from '@helpdesk/triage';
import { envNumber, say } from './bench-stack';

const ROUNDS = envNumber('BENCH_ROUNDS', 20);
const PAGES = envNumber('BENCH_PAGES', 2_000);
const INSTANTS = ['first_responded_at', 'created_at', 'updated_at', 'first_response_due_at', 'first_response_warn_at', 'resolution_due_at', 'resolution_warn_at', 'sla_paused_since', 'resolved_at', 'triaged_at'];
const sla = new SlaClockService(undefined as never, undefined as never);

const pgText = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}+00`;
};

// The text of a page as pg receives it: the other columns as they come, the instants as text (one in eight missing).
const page = Array.from({ length: 51 }, (_, i) => {
  const base = Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 300 * 86_400_000);
  const row: Record<string, unknown> = {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, number: String(900_000 + i), customer_id: '00000000-0000-4000-8000-00000000cafe',
    subject: `Cannot sign in to Outlook #${i}`, category: 'technical', product: 'microsoft_365', severity: null, priority: 'P2', status: 'in_progress',
    channel: 'email', channel_not_in_plan: false, requester_name: 'Requester 12', requester_email: 'requester12@customer.example', assignee_id: null,
    queue: 'vip', tags: [], external_id: null, merged_into: null, disputed_invoice: null, sla_first_response_breached: false, sla_resolution_breached: false,
    diagnosis: null, in_scope: null, priority_suggestion: null, excerpt: 'Since this morning nobody in accounting can open Outlook on the web.',
  };
  for (const column of INSTANTS) row[column] = column !== 'created_at' && Math.random() < 0.125 ? null : pgText(base + Math.floor(Math.random() * 5 * 86_400_000));
  return row;
});

function pageJson(parse: (text: string) => unknown): string {
  const items = page.map((text) => {
    const row = { ...text } as Record<string, unknown>;
    for (const column of INSTANTS) if (row[column] !== null) row[column] = parse(row[column] as string);
    const view = ticketListItemFromRow(row as TicketListRow);
    sla.extendView(row as TicketListRow, view, 'staff');
    return view;
  });
  return JSON.stringify({ items, nextCursor: null });
}

function main(): void {
  if (pageJson(parseTimestamptz) !== pageJson(timestamptzText)) throw new Error('the two ways give different JSON');
  const times: Record<'dates' | 'text', number[]> = { dates: [], text: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [way, parse] of [['dates', parseTimestamptz], ['text', timestamptzText]] as const) {
      const start = process.cpuUsage();
      for (let i = 0; i < PAGES; i++) pageJson(parse);
      const used = process.cpuUsage(start);
      times[way].push((used.user + used.system) / PAGES);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [dates, text] = [median(times.dates.slice(2)), median(times.text.slice(2))];
  say(`a page of 51 rows (10 instants each): read, viewed with its SLA block, JSON — CPU µs per page, median of ${ROUNDS - 2} rounds after 2 warm-up rounds:`);
  say(`  Dates (parseTimestamptz + instantText): ${dates.toFixed(0)} µs; ISO text (timestamptzText): ${text.toFixed(0)} µs (${(((text - dates) / dates) * 100).toFixed(0)} %)`);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ pageCpuMicros: { dates: Math.round(dates), text: Math.round(text) }, rounds: ROUNDS, pages: PAGES })}\n`);
}

main();
