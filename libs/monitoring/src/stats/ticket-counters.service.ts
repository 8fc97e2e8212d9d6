import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How many tickets there are of one queue (`''`: none), status, priority and assignment, now. */
export interface TicketCounterRow {
  queue: string;
  status: string;
  priority: string;
  unassigned: boolean;
  n: number;
}

/** Tickets chosen by the counters' own columns alone; each field narrows, a list means "any of". */
export interface TicketCounterSelection {
  statuses?: readonly string[];
  /** Named queues (tickets without a queue are in none of them). */
  queues?: readonly string[];
  priorities?: readonly string[];
  unassigned?: boolean;
}

/** The counters with the deltas not folded yet, summed (`TicketCounters.rows`). */
export const TICKET_COUNTERS_SQL = `SELECT queue, status, priority, unassigned, sum(n)::int AS n FROM (
    SELECT queue, status, priority, unassigned, n FROM ticket_queue_counters
    UNION ALL
    SELECT queue, status, priority, unassigned, n FROM ticket_queue_counter_deltas
  ) c GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0`;

/**
 * The tickets' counters, as the writes' own transactions keep them (the `tickets_count_changes`
 * trigger appends a delta for every change, the worker folds them every 2 s): the folded counters
 * plus the deltas not folded yet, summed in one statement. Exact at the statement's snapshot, and
 * its cost is that of the two small tables, whatever the size of `tickets` or how many of its pages
 * are all-visible.
 */
@Injectable()
export class TicketCounters {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rows(): Promise<TicketCounterRow[]> {
    return this.dataSource.query(TICKET_COUNTERS_SQL);
  }
}

/** How many tickets of the counters' rows the selection holds. */
export function countSelected(rows: readonly TicketCounterRow[], selection: TicketCounterSelection): number {
  let n = 0;
  for (const row of rows) {
    if (selection.statuses && !selection.statuses.includes(row.status)) continue;
    if (selection.queues && (row.queue === '' || !selection.queues.includes(row.queue))) continue;
    if (selection.priorities && !selection.priorities.includes(row.priority)) continue;
    if (selection.unassigned !== undefined && row.unassigned !== selection.unassigned) continue;
    n += row.n;
  }
  return n;
}
