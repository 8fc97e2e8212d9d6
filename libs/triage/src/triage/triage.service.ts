import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '@helpdesk/auth';
import { prepared, queryPrepared } from '@helpdesk/database';
import { DomainError, isUuid } from '@helpdesk/http';
import { Priority, SupportPlan, ticketDiff, TicketRow, TicketsService, TicketView, TRIAGE_WRITE, TriageTicketWrite, TriageWriteResult } from '@helpdesk/intake';
import { BatchEntry, eachOfJob, MicroBatcher } from '@helpdesk/queue';
import { AssignmentService } from '../assignment/assignment.service';
import { KnownIssuesService } from '../known-issues/known-issues.service';
import { RULES_VERSION_SQL, ruleTicketFromRow, TriageRulesService } from '../rules/triage-rules.service';
import { RuleBillingStatus } from '../rules/rule-billing-status';
import { RuleTicket } from '../rules/triage-rule';
import { clockBase, SlaClockService } from '../sla/sla-clock.service';
import { decide, TriageDecision } from './triage-decision';

export type TriageOutcome = 'triaged' | 'retriaged' | 'skipped';

/** A ticket changed between the read and the write this many times in a row: let BullMQ retry later. */
const MAX_WRITE_ATTEMPTS = 5;

type TriageRow = Pick<
  TicketRow,
  'id' | 'status' | 'subject' | 'description' | 'category' | 'product' | 'severity' | 'priority' | 'channel' | 'customer_id' | 'requester_email' | 'tags' | 'queue' | 'assignee_id' | 'created_at'
> & {
  sla_paused_minutes: number;
  sla_clock_start_at: Date | null;
  sla_used_minutes: number;
  /** xmin: changes with every write to the row. */
  row_version: string;
  plan: Pick<SupportPlan, 'id' | 'timezone' | 'businessHours' | 'holidays' | 'targets' | 'updatedAt'>;
  rules_version: string;
};

/**
 * Everything triage reads, for every ticket of a batch, in one round trip and no transaction: the
 * tickets, their support plans, the rules' version. Named, and its ids read through a sub-select so
 * that every call is estimated alike whatever the batch's size: PostgreSQL then keeps the generic
 * plan after its first five (given the array itself it planned again at every call, sizing a custom
 * plan to the batch).
 */
export const TRIAGE_READ_MANY = prepared(
  'triage_read_many',
  `
  SELECT t.id, t.status, t.subject, t.description, t.category, t.product, t.severity, t.priority, t.channel, t.customer_id,
         t.requester_email, t.tags, t.queue, t.assignee_id, t.created_at, t.sla_paused_minutes, t.sla_clock_start_at, t.sla_used_minutes,
         t.xmin::text AS row_version,
         json_build_object('id', p.id, 'timezone', p.timezone, 'businessHours', p.business_hours, 'holidays', p.holidays,
                           'targets', p.targets, 'updatedAt', p.updated_at) AS plan,
         (${RULES_VERSION_SQL}) AS rules_version
    FROM tickets t
    JOIN customers c ON c.id = t.customer_id
    JOIN support_plans p ON p.id = c.support_plan_id
   WHERE t.id = ANY ((SELECT $1::uuid[])::uuid[])`,
);

/** One triage asked for: the job's ticket (or a retriage), and how many times it was read already. */
interface TriageRequest {
  ticketId: string;
  retriage: boolean;
  actor: Actor;
  attempt: number;
}

/** Most tickets in one batch, and batches under way at once (one deciding while another writes). */
export const TRIAGE_BATCH = { maxBatchSize: 64, maxConcurrentBatches: 2 };

/**
 * Turns a new ticket into a classified, prioritised, routed, diagnosed, clocked and assigned one.
 *
 * The triages asked for at about the same time (the jobs the worker runs concurrently) are done
 * as one batch (MicroBatcher): one read statement for all their tickets, one known-issue search
 * statement for all of them, one write statement (one transaction, one commit) for all of them.
 * Each ticket keeps its own outcome: one that changed between the read and the write is read and
 * decided again in a later batch, one that fails fails alone (a failed batch is run again ticket
 * by ticket), and BullMQ retries only that one's job.
 */
@Injectable()
export class TriageService {
  private readonly batches = new MicroBatcher<TriageRequest, TriageOutcome>((batch) => this.triageBatch(batch), TRIAGE_BATCH);
  /** The write of the batch writing now (see `inWriteTurn`). */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly rules: TriageRulesService,
    private readonly knownIssues: KnownIssuesService,
    private readonly sla: SlaClockService,
    private readonly assignment: AssignmentService,
    private readonly billing: RuleBillingStatus,
  ) {}

  /** What triage would decide, writing nothing; with the customer's billing status the rules saw (null: none). */
  async preview(ticket: RuleTicket, fallbackPriority?: Priority): Promise<TriageDecision & { billingStatus: string | null }> {
    const billingStatus = ticket.customerId ? ((await this.billing.statesOf([ticket.customerId])).get(ticket.customerId) ?? null) : null;
    return { ...(await this.decide({ ...ticket, billingStatus }, await this.rules.version(), fallbackPriority)), billingStatus };
  }

  private async decide(ticket: RuleTicket, rulesVersion: string, fallbackPriority?: Priority): Promise<TriageDecision> {
    const rules = await this.rules.enabledSpecsAt(rulesVersion);
    return decide(ticket, rules, (decided) => this.knownIssues.match({ ...ticket, ...decided }, 3), fallbackPriority);
  }

  /**
   * Triage of a ticket from the queue: only a `new` ticket is triaged (a repeat delivery of the
   * job only finishes a missing assignment). `retriage` re-runs it on a ticket already past `new`,
   * keeping its status, category and product, and assigning only when nobody is.
   *
   * Everything is read and decided outside any transaction; the write applies only if the ticket
   * is still as it was read (otherwise it is read and decided again). Batched with the triages
   * running at the same time (see the class).
   */
  async triage(ticketId: string, options: { retriage?: boolean; actor?: Actor } = {}): Promise<TriageOutcome> {
    // Checked here: one malformed id must not break the batch's read for the others.
    if (!isUuid(ticketId)) throw new Error(`not a ticket id: ${JSON.stringify(ticketId)}`);
    return this.batches.add({ ticketId, retriage: Boolean(options.retriage), actor: options.actor ?? SYSTEM_ACTOR, attempt: 1 });
  }

  /**
   * The tickets of one job (an arrival batch of mail), each as `triage` triages it, together. Throws
   * (the job is retried) when any failed, after the others are triaged: the retry finds those past
   * `new` and triages only the rest. How many had each outcome.
   */
  async triageAll(ticketIds: readonly string[]): Promise<Partial<Record<TriageOutcome, number>>> {
    const results = await eachOfJob(ticketIds, (id) => this.triage(id), 'tickets not triaged');
    const outcomes: Partial<Record<TriageOutcome, number>> = {};
    for (const outcome of results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    return outcomes;
  }

  /** Triages, reads and decides again, or fails each ticket of the batch: see the class. */
  private async triageBatch(batch: Array<BatchEntry<TriageRequest, TriageOutcome>>): Promise<void> {
    const ids = [...new Set(batch.map((e) => e.item.ticketId))];
    const rows = await queryPrepared<TriageRow>(this.dataSource.manager, TRIAGE_READ_MANY, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // The customers' billing status, in one statement, when a rule tests it (same rules version as the rows).
    const billing = rows.length > 0 ? await this.billing.states(await this.rules.enabledSpecsAt(rows[0].rules_version), rows.map((r) => r.customer_id)) : new Map<string, string>();

    // Decide every ticket (their known-issue searches meet in one statement); a failure is that ticket's.
    const writes: Array<{ entry: BatchEntry<TriageRequest, TriageOutcome>; write: TriageTicketWrite; position: number }> = [];
    await Promise.all(
      batch.map(async (entry, position) => {
        const { ticketId, retriage, actor } = entry.item;
        const row = byId.get(ticketId);
        if (!row) return entry.resolve('skipped');
        if (!retriage && row.status !== 'new') {
          // A repeat of the job after triage committed only finishes what is left: the assignment.
          if (row.status !== 'triaged' || row.assignee_id || row.queue === null) return entry.resolve('skipped');
          return entry.resolve(this.assignment.assign(ticketId, row.queue).then(() => 'triaged' as const));
        }
        try {
          writes.push({ entry, write: await this.plan(row, actor, retriage, billing.get(row.customer_id) ?? null), position });
        } catch (error) {
          entry.reject(error);
        }
      }),
    );
    if (writes.length === 0) return;
    // Assigned in the order the jobs came (oldest ticket first, as the queue is).
    writes.sort((a, b) => a.position - b.position);

    const payload = JSON.stringify(writes.map((w) => w.write));
    const results = await this.inWriteTurn(() =>
      queryPrepared<TriageWriteResult>(this.dataSource.manager, TRIAGE_WRITE, [payload]),
    );
    writes.forEach(({ entry, write }, i) => {
      const result = results[i];
      const { ticketId, retriage, attempt } = entry.item;
      if (!result || result.ticket_id !== ticketId) {
        entry.reject(new Error(`triage_write answered out of order for ticket ${ticketId}`));
      } else if (result.written) {
        const outcome = retriage ? 'retriaged' : 'triaged';
        entry.resolve(result.assign_later ? this.assignment.assign(ticketId, write.queue).then(() => outcome) : outcome);
      } else if (attempt >= MAX_WRITE_ATTEMPTS) {
        entry.reject(new Error(`ticket ${ticketId} changed during each of ${attempt} triage attempts`));
      } else {
        // Changed since it was read: read and decided again, in the next batch.
        entry.resolve(this.batches.add({ ...entry.item, attempt: attempt + 1 }));
      }
    });
  }

  /**
   * One batch writes at a time in this process (the next one decides meanwhile). Two batches
   * writing at once each hold the agents they picked until they commit, so each would find the
   * other's agents locked and leave those tickets to a second statement (`assign_later`).
   */
  private inWriteTurn<T>(write: () => Promise<T>): Promise<T> {
    const turn = this.writing.then(write, write);
    this.writing = turn.catch(() => undefined);
    return turn;
  }

  /** Decides; what `triage_write` needs to write the decision for this ticket, if it is still as read. */
  private async plan(row: TriageRow, actor: Actor, retriage: boolean, billingStatus: string | null): Promise<TriageTicketWrite> {
    const at = new Date();
    // A retriage keeps a priority an agent chose unless the severity or a rule says otherwise.
    const decision = await this.decide(ruleTicketFromRow(row, billingStatus), row.rules_version, retriage ? row.priority : undefined);
    const status = row.status === 'new' ? 'triaged' : row.status;
    const start = new Date(row.created_at);
    const clock = clockBase(row);
    const due = this.sla.dueDates(row.plan as SupportPlan, clock.start, decision.priority, Number(row.sla_paused_minutes ?? 0), clock.usedMinutes);

    // The events of these changes as every ticket change records them, then `triaged`.
    const { events: changes } = ticketDiff(row, {
      status,
      priority: decision.priority,
      category: decision.category,
      product: decision.product,
      queue: decision.queue,
    });
    const events = [
      ...changes,
      {
        type: 'triaged',
        data: {
          retriage,
          matchedRules: decision.matchedRules,
          stoppedBy: decision.stoppedBy,
          reasons: decision.reasons,
          why: decision.why,
          prioritySuggestion: decision.prioritySuggestion,
          queue: decision.queue,
          diagnosis: decision.diagnosis,
          sla: { firstResponseDueAt: due.firstResponseDueAt.toISOString(), resolutionDueAt: due.resolutionDueAt.toISOString() },
        },
      },
    ].map((e) => ({ ...e, actorKind: actor.kind, actorId: actor.id }));
    return {
      id: row.id,
      row_version: row.row_version,
      status,
      category: decision.category,
      product: decision.product,
      priority: decision.priority,
      queue: decision.queue,
      tags: [...new Set([...row.tags, ...decision.tags])],
      at,
      diagnosis: decision.diagnosis,
      in_scope: decision.inScope,
      priority_suggestion: decision.prioritySuggestion ?? null,
      first_response_due_at: due.firstResponseDueAt,
      first_response_warn_at: due.firstResponseWarnAt,
      resolution_due_at: due.resolutionDueAt,
      resolution_warn_at: due.resolutionWarnAt,
      sla_start: start,
      events,
      assign: !row.assignee_id && !['resolved', 'closed'].includes(status),
    };
  }

  async retriage(ticketId: string, actor: Actor): Promise<TicketView> {
    const [row]: TicketRow[] = await this.dataSource.query(`SELECT id FROM tickets WHERE id = $1`, [ticketId]);
    if (!row) throw DomainError.notFound('Ticket', ticketId);
    await this.triage(ticketId, { retriage: true, actor });
    const [fresh]: TicketRow[] = await this.dataSource.query(`SELECT * FROM tickets WHERE id = $1`, [ticketId]);
    return this.tickets.view(fresh);
  }
}
