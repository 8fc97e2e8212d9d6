import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '@helpdesk/auth';
import { DomainError } from '@helpdesk/http';
import { Priority, SupportPlan, TicketRow, TicketsService, TicketView } from '@helpdesk/intake';
import { AssignmentService, pickAgentCtes } from '../assignment/assignment.service';
import { KnownIssuesService } from '../known-issues/known-issues.service';
import { RULES_VERSION_SQL, ruleTicketFromRow, TriageRulesService } from '../rules/triage-rules.service';
import { RuleTicket } from '../rules/triage-rule';
import { SlaClockService } from '../sla/sla-clock.service';
import { decide, TriageDecision } from './triage-decision';
import { prepared, queryPrepared } from '@helpdesk/database';

export type TriageOutcome = 'triaged' | 'retriaged' | 'skipped';

/** A ticket changed between the read and the write this many times in a row: let BullMQ retry later. */
const MAX_WRITE_ATTEMPTS = 5;

type TriageRow = Pick<
  TicketRow,
  'id' | 'status' | 'subject' | 'description' | 'category' | 'product' | 'severity' | 'priority' | 'channel' | 'customer_id' | 'requester_email' | 'tags' | 'queue' | 'assignee_id' | 'created_at'
> & {
  sla_paused_minutes: number;
  /** xmin: changes with every write to the row. */
  row_version: string;
  plan: Pick<SupportPlan, 'id' | 'timezone' | 'businessHours' | 'holidays' | 'targets' | 'updatedAt'>;
  rules_version: string;
};

/** Everything triage reads, in one round trip and no transaction: the ticket, its support plan, the rules' version. */
const READ_SQL = `
  SELECT t.id, t.status, t.subject, t.description, t.category, t.product, t.severity, t.priority, t.channel, t.customer_id,
         t.requester_email, t.tags, t.queue, t.assignee_id, t.created_at, t.sla_paused_minutes, t.xmin::text AS row_version,
         json_build_object('id', p.id, 'timezone', p.timezone, 'businessHours', p.business_hours, 'holidays', p.holidays,
                           'targets', p.targets, 'updatedAt', p.updated_at) AS plan,
         (${RULES_VERSION_SQL}) AS rules_version
    FROM tickets t
    JOIN customers c ON c.id = t.customer_id
    JOIN support_plans p ON p.id = c.support_plan_id
   WHERE t.id = $1`;

/**
 * The whole triage write as one statement, i.e. one transaction: lock the ticket (only if nobody
 * wrote it since it was read: `xmin`), pick and lock an agent when asked to (`pickAgentCtes`), write
 * the decision, the SLA due dates and the assignee in one row update, stamp the agent, and insert
 * the ticket's events (the decision's, then `assigned`) in order. No row: the ticket changed since
 * it was read (the caller reads and decides again).
 */
const WRITE_SQL = `
  WITH tk AS (SELECT id FROM tickets WHERE id = $1 AND xmin = $2::text::xid FOR UPDATE),
  ${pickAgentCtes('$7', '$19::boolean')},
  upd AS (
    UPDATE tickets t
       SET status = $3, category = $4, product = $5, priority = $6, queue = $7, tags = $8,
           assignee_id = COALESCE((SELECT id FROM pick), t.assignee_id), updated_at = $9,
           triaged_at = $9, diagnosis = $10, in_scope = $11, priority_suggestion = $12,
           first_response_due_at = $13, first_response_warn_at = $14, resolution_due_at = $15, resolution_warn_at = $16,
           sla_started_at = COALESCE(t.sla_started_at, $17)
      FROM tk
     WHERE t.id = tk.id
    RETURNING t.id, t.assignee_id
  ),
  agent AS (UPDATE agents a SET last_assigned_at = $9 FROM pick, upd WHERE a.id = pick.id RETURNING a.id),
  events AS (
    INSERT INTO ticket_events (ticket_id, type, actor_kind, actor_id, data, at)
    SELECT upd.id, e.type, e.actor_kind, e.actor_id, e.data, $9
      FROM upd, (
        SELECT j.ord, j.e->>'type' AS type, j.e->>'actorKind' AS actor_kind, (j.e->>'actorId')::uuid AS actor_id, j.e->'data' AS data
          FROM jsonb_array_elements($18::jsonb) WITH ORDINALITY AS j(e, ord)
        UNION ALL
        SELECT 1000000, 'assigned', 'system', NULL, jsonb_build_object('from', NULL, 'to', agent.id) FROM agent
      ) e
     ORDER BY e.ord
  )
  SELECT upd.assignee_id FROM upd`;

interface TimelineEvent {
  type: string;
  actorKind: Actor['kind'];
  actorId: string | null;
  data: Record<string, unknown>;
}

/** Turns a new ticket into a classified, prioritised, routed, diagnosed, clocked and assigned one. */
@Injectable()
export class TriageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly rules: TriageRulesService,
    private readonly knownIssues: KnownIssuesService,
    private readonly sla: SlaClockService,
    private readonly assignment: AssignmentService,
  ) {}

  /** What triage would decide, writing nothing. */
  async preview(ticket: RuleTicket, fallbackPriority?: Priority): Promise<TriageDecision> {
    return this.decide(ticket, await this.rules.version(), fallbackPriority);
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
   * Everything is read and decided outside any transaction; the write is one statement that
   * applies only if the ticket is still as it was read (otherwise it is read and decided again).
   */
  async triage(ticketId: string, options: { retriage?: boolean; actor?: Actor } = {}): Promise<TriageOutcome> {
    const actor = options.actor ?? SYSTEM_ACTOR;
    for (let attempt = 1; ; attempt++) {
      const [row] = await queryPrepared<TriageRow>(this.dataSource.manager, prepared('triage_read', READ_SQL), [ticketId]);
      if (!row) return 'skipped';
      if (!options.retriage && row.status !== 'new') {
        // A repeat of the job after triage committed only finishes what is left: the assignment.
        if (row.status !== 'triaged' || row.assignee_id || row.queue === null) return 'skipped';
        await this.assignment.assign(ticketId, row.queue);
        return 'triaged';
      }
      if (await this.write(row, actor, Boolean(options.retriage))) return options.retriage ? 'retriaged' : 'triaged';
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`ticket ${ticketId} changed during each of ${attempt} triage attempts`);
    }
  }

  /** Decides and writes; false when the ticket changed since `row` was read (nothing written). */
  private async write(row: TriageRow, actor: Actor, retriage: boolean): Promise<boolean> {
    const at = new Date();
    // A retriage keeps a priority an agent chose unless the severity or a rule says otherwise.
    const decision = await this.decide(ruleTicketFromRow(row), row.rules_version, retriage ? row.priority : undefined);
    const status = row.status === 'new' ? 'triaged' : row.status;
    const start = new Date(row.created_at);
    const due = this.sla.dueDates(row.plan as SupportPlan, start, decision.priority, Number(row.sla_paused_minutes ?? 0));

    // The events TicketsService.apply writes for these changes, in its order, then `triaged`.
    const event = (type: string, data: Record<string, unknown>): TimelineEvent => ({ type, actorKind: actor.kind, actorId: actor.id, data });
    const events: TimelineEvent[] = [];
    if (status !== row.status) events.push(event('status_changed', { from: row.status, to: status }));
    if (decision.priority !== row.priority) events.push(event('priority_changed', { from: row.priority, to: decision.priority }));
    if (decision.category !== row.category) events.push(event('category_changed', { from: row.category, to: decision.category }));
    if (decision.product !== row.product) events.push(event('product_changed', { from: row.product, to: decision.product }));
    if (decision.queue !== row.queue) events.push(event('queue_changed', { from: row.queue, to: decision.queue }));
    events.push(
      event('triaged', {
        retriage,
        matchedRules: decision.matchedRules,
        stoppedBy: decision.stoppedBy,
        reasons: decision.reasons,
        prioritySuggestion: decision.prioritySuggestion,
        queue: decision.queue,
        diagnosis: decision.diagnosis,
        sla: { firstResponseDueAt: due.firstResponseDueAt.toISOString(), resolutionDueAt: due.resolutionDueAt.toISOString() },
      }),
    );
    const assign = !row.assignee_id && !['resolved', 'closed'].includes(status);

    const written = await queryPrepared<{ assignee_id: string | null }>(this.dataSource.manager, prepared('triage_write', WRITE_SQL), [
      row.id,
      row.row_version,
      status,
      decision.category,
      decision.product,
      decision.priority,
      decision.queue,
      [...new Set([...row.tags, ...decision.tags])],
      at,
      JSON.stringify(decision.diagnosis),
      decision.inScope,
      decision.prioritySuggestion ? JSON.stringify(decision.prioritySuggestion) : null,
      due.firstResponseDueAt,
      due.firstResponseWarnAt,
      due.resolutionDueAt,
      due.resolutionWarnAt,
      start,
      JSON.stringify(events),
      assign,
    ]);
    return written.length > 0;
  }

  /** Assigns a triaged ticket nobody holds (see AssignmentService.assign). */
  async assign(ticketId: string, queue: string): Promise<string | null> {
    return this.assignment.assign(ticketId, queue);
  }

  async retriage(ticketId: string, actor: Actor): Promise<TicketView> {
    const [row]: TicketRow[] = await this.dataSource.query(`SELECT id FROM tickets WHERE id = $1`, [ticketId]);
    if (!row) throw DomainError.notFound('Ticket', ticketId);
    await this.triage(ticketId, { retriage: true, actor });
    const [fresh]: TicketRow[] = await this.dataSource.query(`SELECT * FROM tickets WHERE id = $1`, [ticketId]);
    return this.tickets.view(fresh);
  }
}
