import { PRIORITIES } from '../support-plans/support-plan.entity';

/**
 * The orders a ticket list can be read in, each as a list of segments read one after the other
 * (keyset pagination inside each). A segment is one index range: `due` is the tickets whose
 * resolution clock runs, soonest due first, then every other ticket newest first; `priority` is that
 * per priority, P1 first. Migration 1764004310000 has the index behind each segment.
 */
export const TICKET_SORTS = ['-number', '-updated', 'due', 'priority', 'relevance'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export type SortKeyType = 'bigint' | 'timestamptz';

export interface SortSegment {
  /** SQL over the ticket `t` that the segment's rows satisfy (and no earlier segment's rows do). */
  where: string;
  /** The keys, most significant first, all in `direction`; the last one is unique (the number). */
  keys: ReadonlyArray<{ sql: string; type: SortKeyType }>;
  direction: 'ASC' | 'DESC';
}

/**
 * A resolution clock that runs: started (it has a due time), not paused while the ticket waits on
 * the customer (the due time of a paused clock is not known until it resumes), ticket not resolved
 * or closed. The partial indexes of the `due` and `priority` sorts have this predicate verbatim.
 */
export const RESOLUTION_CLOCK_RUNS = `t.resolution_due_at IS NOT NULL AND t.sla_paused_since IS NULL AND t.status NOT IN ('resolved', 'closed')`;

const NUMBER = { sql: 't.number', type: 'bigint' } as const;
const newestFirst = (where: string): SortSegment => ({ where, keys: [NUMBER], direction: 'DESC' });
const dueFirst = (where: string): SortSegment => ({ where, keys: [{ sql: 't.resolution_due_at', type: 'timestamptz' }, NUMBER], direction: 'ASC' });

/** The segments of every sort but `relevance` (which ranks search matches: ticket-search.ts). */
export const SORT_SEGMENTS: Record<Exclude<TicketSort, 'relevance'>, readonly SortSegment[]> = {
  '-number': [newestFirst('true')],
  '-updated': [{ where: 'true', keys: [{ sql: 't.updated_at', type: 'timestamptz' }, NUMBER], direction: 'DESC' }],
  due: [dueFirst(RESOLUTION_CLOCK_RUNS), newestFirst(`NOT (${RESOLUTION_CLOCK_RUNS})`)],
  priority: PRIORITIES.flatMap((p) => [dueFirst(`t.priority = '${p}' AND ${RESOLUTION_CLOCK_RUNS}`), newestFirst(`t.priority = '${p}' AND NOT (${RESOLUTION_CLOCK_RUNS})`)]),
};

const KEY_FORMAT: Record<SortKeyType, RegExp> = {
  bigint: /^\d{1,19}$/,
  timestamptz: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}(:?\d{2})?)?)$/,
};
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Whether `values` are keys of `segment` as the list query returns them (text). */
export function isSegmentKey(segment: SortSegment, values: unknown): values is string[] {
  return (
    Array.isArray(values) &&
    values.length === segment.keys.length &&
    segment.keys.every((key, i) => {
      const value: unknown = values[i];
      if (typeof value !== 'string' || !KEY_FORMAT[key.type].test(value)) return false;
      return key.type !== 'bigint' || BigInt(value) <= MAX_BIGINT;
    })
  );
}
