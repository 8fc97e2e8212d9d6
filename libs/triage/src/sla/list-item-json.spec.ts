import { parseTimestamptz, timestamptzText } from '@helpdesk/database';
import { customerTicketView, TicketListRow, ticketListItemFromRow, TicketListItemView } from '@helpdesk/intake';
import { SlaClockService } from './sla-clock.service';

/**
 * A list's instants now come from pg as their ISO text (TicketFinder: timestamptzText) instead of
 * Dates (parseTimestamptz). The JSON of a page must not change: the OpenAPI document and the
 * console's client depend on it. Each row here is built from the same PostgreSQL text both ways.
 */
const INSTANTS = ['first_responded_at', 'created_at', 'updated_at', 'first_response_due_at', 'first_response_warn_at', 'resolution_due_at', 'resolution_warn_at', 'sla_paused_since', 'resolved_at', 'triaged_at'] as const;

const sla = new SlaClockService(undefined as never, undefined as never);

/** What PostgreSQL sends for an instant in a UTC session (microseconds, or fewer digits). */
function pgText(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = String(micros).padStart(6, '0').replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

function randomRow(i: number, texts: Record<string, string | null>, parse: (text: string) => unknown): TicketListRow {
  const row: Record<string, unknown> = {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    number: String(1000 + i),
    customer_id: '00000000-0000-4000-8000-00000000cafe',
    subject: `Cannot sign in #${i}`,
    category: i % 3 === 0 ? null : 'technical',
    product: 'azure',
    severity: null,
    priority: 'P2',
    status: i % 2 ? 'in_progress' : 'resolved',
    channel: 'email',
    channel_not_in_plan: i % 5 === 0,
    requester_name: 'Ana',
    requester_email: 'ana@example.com',
    assignee_id: null,
    queue: 'vip',
    tags: ['vpn'],
    external_id: null,
    merged_into: null,
    disputed_invoice: null,
    sla_first_response_breached: i % 7 === 0,
    sla_resolution_breached: false,
    diagnosis: i % 4 === 0 ? { knownIssue: 'KI-1' } : null,
    in_scope: i % 4 === 0 ? true : null,
    priority_suggestion: null,
    excerpt: 'Since this morning nobody can open Outlook on the web.',
  };
  for (const column of INSTANTS) row[column] = texts[column] === null ? null : parse(texts[column]!);
  return row as TicketListRow;
}

function pageJson(rows: TicketListRow[], audience: 'staff' | 'customer'): string {
  const views = rows.map((row) => {
    const view = ticketListItemFromRow(row);
    sla.extendView(row, view, audience);
    return audience === 'customer' ? customerTicketView(view as TicketListItemView, null) : view;
  });
  return JSON.stringify({ items: views, nextCursor: null });
}

describe('a list page’s JSON with its instants read as ISO text', () => {
  it('is the same as with Dates, byte for byte, for 2,000 rows of random instants (some missing, some breached)', () => {
    const texts: Array<Record<string, string | null>> = [];
    for (let i = 0; i < 2_000; i++) {
      const base = Date.UTC(2020, 0, 1) + Math.floor(Math.random() * 10 * 365 * 86_400_000);
      const t: Record<string, string | null> = {};
      for (const column of INSTANTS) {
        const missing = column !== 'created_at' && column !== 'updated_at' && Math.random() < 0.3;
        t[column] = missing ? null : pgText(base + Math.floor(Math.random() * 30 * 86_400_000), Math.floor(Math.random() * 1_000_000));
      }
      texts.push(t);
    }
    for (const audience of ['staff', 'customer'] as const) {
      const before = pageJson(texts.map((t, i) => randomRow(i, t, parseTimestamptz)), audience);
      const after = pageJson(texts.map((t, i) => randomRow(i, t, timestamptzText)), audience);
      expect(after).toBe(before);
    }
  });

  it('gives the same body as before for one known row (its instants and its breach)', () => {
    const t = {
      first_responded_at: '2026-11-25 15:04:25.123999+00',
      created_at: '2026-11-25 15:00:00+00',
      updated_at: '2026-11-25 15:04:25.5+00',
      first_response_due_at: '2026-11-25 15:04:25.123+00', // answered 0.999 µs after it was due, the same millisecond: not breached
      first_response_warn_at: '2026-11-25 15:03:00+00',
      resolution_due_at: '2026-11-26 15:00:00+00',
      resolution_warn_at: '2026-11-26 09:00:00+00',
      sla_paused_since: null,
      resolved_at: '2026-11-26 15:00:00.001+00', // a millisecond late: breached
      triaged_at: '2026-11-25 15:00:01.02+00',
    };
    const before = JSON.parse(pageJson([randomRow(1, t, parseTimestamptz)], 'staff')) as { items: Array<Record<string, unknown>> };
    const after = JSON.parse(pageJson([randomRow(1, t, timestamptzText)], 'staff')) as { items: Array<Record<string, unknown>> };
    expect(after).toEqual(before);
    expect(after.items[0]).toMatchObject({
      firstRespondedAt: '2026-11-25T15:04:25.123Z',
      createdAt: '2026-11-25T15:00:00.000Z',
      updatedAt: '2026-11-25T15:04:25.500Z',
      triagedAt: '2026-11-25T15:00:01.020Z',
      sla: {
        firstResponseDueAt: '2026-11-25T15:04:25.123Z',
        firstResponseWarnAt: '2026-11-25T15:03:00.000Z',
        resolutionDueAt: '2026-11-26T15:00:00.000Z',
        resolutionWarnAt: '2026-11-26T09:00:00.000Z',
        firstRespondedAt: '2026-11-25T15:04:25.123Z',
        pausedSince: null,
        breached: { firstResponse: false, resolution: true },
      },
    });
  });
});
