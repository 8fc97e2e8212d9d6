import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@helpdesk/config';
import { formatTicketNumber } from '@helpdesk/intake';
import { JobOf, QueueName } from '@helpdesk/queue';
import { shouldYieldToTriage } from './auto-assignment-mail-yield';
import { storeNotifications } from './outbound-messages';
import { composeAssignedMail } from './staff-notifications.service';

/** Assignments looked at per transaction. */
export const AUTO_ASSIGNMENT_MAIL_BATCH = 500;

export interface AutoAssignmentMailRun {
  /** False when another process was running it (the cursor's row was locked), or it gave way to triage (`yielded`). */
  ran: boolean;
  /** Skipped: the triage queue had a backlog (this many waiting) and the last run was recent (AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS). */
  yielded?: { triageWaiting: number; sinceLastRunMs: number };
  /** Mails stored (each with its hand-off to the sender), in how many transactions. */
  stored: number;
  batches: number;
  /** The cursor after the run: every system assignment at or below `settledSeq` has been looked at. */
  settledSeq: string | null;
}

/**
 * The cursor row, locked (another worker's run holds it: skip), and whether every transaction in
 * progress when `pending_seq` was read has ended since (the oldest transaction running now is
 * newer than the newest then): from then on every event at or below `pending_seq` is committed
 * (or rolled back) and visible. Triage's writes and ASSIGN_TICKET update the ticket before they
 * insert its event, so a transaction holds its id before it takes an event's `seq`.
 */
const LOCK_CURSOR = `SELECT settled_seq, pending_seq, pg_snapshot_xmin(pg_current_snapshot()) >= pg_snapshot_xmax(pending_snapshot) AS pending_ended
  FROM auto_assignment_mail_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED`;

/**
 * The system's `assigned` events above the settled mark (the partial index
 * ticket_events_system_assigned_idx) still to be mailed: the agent still holds the ticket (an
 * assignment taken away, or given to someone else, before this runs is not news any more), is
 * active and has an address, and no mail of that event to that agent exists. The event key is
 * composeAssignedMail's, so a mail already stored by either path is not composed again.
 */
const TO_MAIL = `SELECT e.seq, e.ticket_id, e.at, a.id AS agent_id, a.email, a.locale, t.number, t.subject, t.priority, c.name AS customer_name
  FROM ticket_events e
  JOIN tickets t ON t.id = e.ticket_id
  JOIN agents a ON a.id = (e.data->>'to')::uuid AND t.assignee_id = a.id
  LEFT JOIN customers c ON c.id = t.customer_id
 WHERE e.type = 'assigned' AND e.actor_kind = 'system' AND e.seq > $1
   AND a.deactivated_at IS NULL AND position('@' IN a.email) > 1
   AND NOT EXISTS (
     SELECT 1 FROM outbound_messages m
      WHERE m.event_key = e.ticket_id::text || ':assigned-' || floor(extract(epoch FROM e.at) * 1000)::bigint::text || ':' || a.email)
 ORDER BY e.seq
 LIMIT $2`;

/**
 * The settled mark moves to the pending one once that has ended; the pending one to the newest
 * system assignment now, under this statement's snapshot.
 */
const ADVANCE_CURSOR = `UPDATE auto_assignment_mail_cursor c
   SET settled_seq = c.pending_seq, pending_seq = greatest(m.s, c.pending_seq), pending_snapshot = pg_current_snapshot(), pending_at = now()
  FROM (SELECT coalesce(max(seq), 0) AS s FROM ticket_events WHERE type = 'assigned' AND actor_kind = 'system') m
 WHERE c.id = 1
 RETURNING c.settled_seq`;

/** How long ago the last run that read the assignments moved the marks (each run that ends does, nothing to mail or not). */
const SINCE_LAST_RUN = `SELECT (extract(epoch FROM now() - pending_at) * 1000)::float8 AS ms FROM auto_assignment_mail_cursor WHERE id = 1`;

interface Cursor {
  settled_seq: string;
  pending_seq: string;
  pending_ended: boolean;
}

interface ToMail {
  seq: string;
  ticket_id: string;
  at: Date;
  agent_id: string;
  email: string;
  locale: 'es' | 'en' | null;
  number: string;
  subject: string;
  priority: string;
  customer_name: string | null;
}

/**
 * "Assigned to you" for the tickets triage itself assigns (its batch write, ASSIGN_TICKET), outside
 * triage's write: a scheduled job reads the system's `assigned` events written since its settled
 * mark and stores one mail per (event, agent) with its hand-off to the sender (`ON CONFLICT DO
 * NOTHING` on the event key), in one transaction per batch. Events that commit out of `seq` order
 * are read again until every transaction that could still add one below the mark has ended, so
 * none is skipped; a crash loses nothing (the mail and its hand-off commit together, the mark
 * moves only after), and a run again stores nothing twice.
 */
@Injectable()
export class AutoAssignmentMail {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Triage) private readonly triageQueue: Queue,
  ) {}

  /**
   * The scheduled run: skipped while the triage queue has a backlog (more than
   * AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE waiting: the cores are triage's), unless the last run is
   * AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS ago. A skipped run reads nothing and moves no mark, so the
   * next one mails what it would have; none is lost or sent twice.
   */
  async runUnlessTriageBusy(): Promise<AutoAssignmentMailRun> {
    const { AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE: yieldAbove, AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS: maxDeferMs } = this.config;
    if (maxDeferMs > 0) {
      const triageWaiting = await this.ticketsWaitingForTriage(yieldAbove);
      if (triageWaiting > yieldAbove) {
        const [last]: Array<{ ms: number }> = await this.dataSource.query(SINCE_LAST_RUN);
        const sinceLastRunMs = Math.max(0, last?.ms ?? Number.POSITIVE_INFINITY);
        if (shouldYieldToTriage({ triageWaiting, yieldAbove, sinceLastRunMs, maxDeferMs })) {
          return { ran: false, yielded: { triageWaiting, sinceLastRunMs: Math.round(sinceLastRunMs) }, stored: 0, batches: 0, settledSeq: null };
        }
      }
    }
    return this.run();
  }

  /**
   * Tickets waiting in the triage queue, counted as far as `above` needs: a job of an arrival batch
   * of mail carries several (`ticketIds`), so its jobs are read when there are not already more
   * than `above` of them.
   */
  private async ticketsWaitingForTriage(above: number): Promise<number> {
    const jobs = await this.triageQueue.getWaitingCount();
    if (jobs === 0 || jobs > above) return jobs;
    const waiting = await this.triageQueue.getWaiting(0, jobs - 1);
    return waiting.reduce((n, job) => {
      const data = job.data as JobOf<QueueName.Triage>;
      return n + ('ticketIds' in data ? data.ticketIds.length : 1);
    }, 0);
  }

  /**
   * Every batch after the first reads on from the last event the one before read (not from the
   * mark again: after a deferred run there are thousands). The mark moves only if, at the first
   * batch, every transaction that could add an event below the pending mark had ended (so each of
   * those events was visible to every batch's read), and no other run moved the marks meanwhile.
   */
  async run(): Promise<AutoAssignmentMailRun> {
    let stored = 0;
    let batches = 0;
    let first: Cursor | undefined;
    let after: string | undefined;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.batch(manager, after, first));
      if (!batch) return { ran: batches > 0, stored, batches, settledSeq: null };
      first ??= batch.cursor;
      batches++;
      stored += batch.stored;
      after = batch.lastSeq;
      if (batch.settledSeq !== null) return { ran: true, stored, batches, settledSeq: batch.settledSeq };
    }
  }

  /**
   * One batch, reading above the mark or above `after` (the last event the run's previous batch
   * read), whichever is higher; null when another run holds the cursor. `settledSeq` is set on the
   * last batch.
   */
  private async batch(
    manager: EntityManager,
    after: string | undefined,
    first: Cursor | undefined,
  ): Promise<{ cursor: Cursor; stored: number; lastSeq: string; settledSeq: string | null } | null> {
    const [cursor]: Cursor[] = await manager.query(LOCK_CURSOR);
    if (!cursor) return null;
    const from = after !== undefined && BigInt(after) > BigInt(cursor.settled_seq) ? after : cursor.settled_seq;
    const rows: ToMail[] = await manager.query(TO_MAIL, [from, AUTO_ASSIGNMENT_MAIL_BATCH]);
    const stored = await storeNotifications(
      manager,
      rows.map((r) =>
        composeAssignedMail(this.config.MAIL_DOMAIN, r.ticket_id, new Date(r.at), { id: r.agent_id, email: r.email, locale: r.locale }, {
          number: formatTicketNumber(Number(r.number)),
          subject: r.subject,
          priority: r.priority,
          customerName: r.customer_name ?? '',
          assignedBy: null,
        }),
      ),
    );
    const lastSeq = rows.length > 0 ? rows[rows.length - 1].seq : from;
    if (rows.length === AUTO_ASSIGNMENT_MAIL_BATCH) return { cursor, stored, lastSeq, settledSeq: null };
    const start = first ?? cursor;
    const unchanged = start.settled_seq === cursor.settled_seq && start.pending_seq === cursor.pending_seq;
    if (!start.pending_ended || !unchanged) return { cursor, stored, lastSeq, settledSeq: cursor.settled_seq };
    const [[moved]]: [Array<{ settled_seq: string }>] = await manager.query(ADVANCE_CURSOR);
    return { cursor, stored, lastSeq, settledSeq: moved.settled_seq };
  }
}
