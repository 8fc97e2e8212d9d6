import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, SYSTEM_ACTOR } from '@helpdesk/auth';
import { DomainError } from '@helpdesk/http';
import { Priority, TicketRow, TicketsService, TicketView, TimelineService } from '@helpdesk/intake';
import { AssignmentService } from '../assignment/assignment.service';
import { KnownIssuesService } from '../known-issues/known-issues.service';
import { ruleTicketFromRow, TriageRulesService } from '../rules/triage-rules.service';
import { RuleTicket } from '../rules/triage-rule';
import { SlaClockService } from '../sla/sla-clock.service';
import { decide, TriageDecision } from './triage-decision';

export type TriageOutcome = 'triaged' | 'retriaged' | 'skipped';

/** Turns a new ticket into a classified, prioritised, routed, diagnosed, clocked and assigned one. */
@Injectable()
export class TriageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
    private readonly rules: TriageRulesService,
    private readonly knownIssues: KnownIssuesService,
    private readonly sla: SlaClockService,
    private readonly assignment: AssignmentService,
  ) {}

  /** What triage would decide, writing nothing. */
  async preview(ticket: RuleTicket, manager: EntityManager = this.dataSource.manager, fallbackPriority?: Priority): Promise<TriageDecision> {
    const rules = await this.rules.enabledSpecs(manager);
    return decide(ticket, rules, (decided) => this.knownIssues.match({ ...ticket, ...decided }, 3, manager), fallbackPriority);
  }

  /**
   * Triage of a ticket from the queue: only a `new` ticket is triaged (a repeat delivery of the
   * job changes nothing). `retriage` re-runs it on a ticket already past `new`, keeping its status,
   * category and product, and assigning only when nobody is.
   */
  async triage(ticketId: string, options: { retriage?: boolean; actor?: Actor } = {}): Promise<TriageOutcome> {
    const actor = options.actor ?? SYSTEM_ACTOR;
    return this.dataSource.transaction(async (manager): Promise<string | null> => {
      const [row]: TicketRow[] = await manager.query(`SELECT * FROM tickets WHERE id = $1 FOR UPDATE`, [ticketId]);
      if (!row) return null;
      // A repeat of the job after triage committed only finishes what is left: the assignment.
      if (!options.retriage && row.status !== 'new') return row.status === 'triaged' && !row.assignee_id ? row.queue : null;
      const at = new Date();
      // A retriage keeps a priority an agent chose unless the severity or a rule says otherwise.
      const decision = await this.preview(ruleTicketFromRow(row), manager, options.retriage ? row.priority : undefined);

      const patch = {
        category: decision.category,
        product: decision.product,
        priority: decision.priority,
        queue: decision.queue,
        tags: [...new Set([...row.tags, ...decision.tags])],
        ...(row.status === 'new' ? { status: 'triaged' as const } : {}),
      };
      const after = await this.tickets.apply(manager, row, patch, actor, at);
      await manager.query(
        `UPDATE tickets SET triaged_at = $2, diagnosis = $3, in_scope = $4, priority_suggestion = $5 WHERE id = $1`,
        [ticketId, at, JSON.stringify(decision.diagnosis), decision.inScope, decision.prioritySuggestion ? JSON.stringify(decision.prioritySuggestion) : null],
      );
      const due = await this.sla.start(manager, { ...after });
      await this.timeline.record(manager, ticketId, 'triaged', actor, {
        retriage: Boolean(options.retriage),
        matchedRules: decision.matchedRules,
        stoppedBy: decision.stoppedBy,
        reasons: decision.reasons,
        prioritySuggestion: decision.prioritySuggestion,
        queue: decision.queue,
        diagnosis: decision.diagnosis,
        sla: { firstResponseDueAt: due.firstResponseDueAt.toISOString(), resolutionDueAt: due.resolutionDueAt.toISOString() },
      }, at);

      return decision.queue;
    }).then(async (queue) => {
      if (queue === null) return 'skipped';
      await this.assign(ticketId, queue);
      return options.retriage ? 'retriaged' : 'triaged';
    });
  }

  /**
   * Assignment is its own short transaction after triage commits, so the queue's agent rows are
   * locked only for the pick itself (they serialise concurrent assignments to keep caps exact).
   */
  async assign(ticketId: string, queue: string): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.tickets.lockedRow(manager, ticketId);
      if (row.assignee_id || ['resolved', 'closed'].includes(row.status) || row.queue !== queue) return null;
      const at = new Date();
      const agentId = await this.assignment.pickAgent(manager, queue, at);
      if (agentId) await this.tickets.apply(manager, row, { assigneeId: agentId }, SYSTEM_ACTOR, at);
      return agentId;
    });
  }

  async retriage(ticketId: string, actor: Actor): Promise<TicketView> {
    const [row]: TicketRow[] = await this.dataSource.query(`SELECT id FROM tickets WHERE id = $1`, [ticketId]);
    if (!row) throw DomainError.notFound('Ticket', ticketId);
    await this.triage(ticketId, { retriage: true, actor });
    const [fresh]: TicketRow[] = await this.dataSource.query(`SELECT * FROM tickets WHERE id = $1`, [ticketId]);
    return this.tickets.view(fresh);
  }
}
