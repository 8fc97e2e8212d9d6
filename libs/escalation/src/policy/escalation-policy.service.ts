import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { canTransition, TicketsService, TimelineService } from '@helpdesk/intake';
import { ResolutionBreach, SlaBreachHooks } from '@helpdesk/triage';
import { EscalationReadsService } from '../escalations/escalation-reads.service';
import { EscalationsService } from '../escalations/escalations.service';
import type { Priority } from '../routing/route-escalation';

export interface EscalationPolicy {
  autoEscalateOnResolutionBreach: boolean;
  priorities: Priority[];
  onlyOutOfScope: boolean;
}

interface PolicyRow {
  auto_escalate_on_resolution_breach: boolean;
  priorities: Priority[];
  only_out_of_scope: boolean;
  updated_at: Date;
}

export const AUTO_ESCALATION_REASON = 'The resolution target of the support plan was breached; escalated automatically by the escalation policy';

/** When a resolution breach escalates a ticket by itself, and the hook that does it (once per ticket). */
@Injectable()
export class EscalationPolicyService implements OnModuleInit {
  private readonly logger = new Logger('EscalationPolicy');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly breaches: SlaBreachHooks,
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
    private readonly escalations: EscalationsService,
    private readonly reads: EscalationReadsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.breaches.register({ onResolutionBreach: (manager, breach) => this.onResolutionBreach(manager, breach) });
  }

  async get(manager: EntityManager = this.dataSource.manager): Promise<EscalationPolicy & { updatedAt: string }> {
    const [row]: PolicyRow[] = await manager.query(`SELECT * FROM escalation_policy WHERE id = 1`);
    return {
      autoEscalateOnResolutionBreach: row.auto_escalate_on_resolution_breach,
      priorities: row.priorities,
      onlyOutOfScope: row.only_out_of_scope,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async put(policy: EscalationPolicy): Promise<EscalationPolicy & { updatedAt: string }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM escalation_policy WHERE id = 1 FOR UPDATE`);
      const before = await this.get(manager);
      await manager.query(
        `UPDATE escalation_policy SET auto_escalate_on_resolution_breach = $1, priorities = $2, only_out_of_scope = $3, updated_at = now() WHERE id = 1`,
        [policy.autoEscalateOnResolutionBreach, [...new Set(policy.priorities)].sort(), policy.onlyOutOfScope],
      );
      const after = await this.get(manager);
      await this.audit.record(manager, { entity: 'escalation_policy', entityId: '1', action: 'updated', before, after });
      return after;
    });
  }

  /**
   * Inside the SLA monitor's transaction: escalates a matching ticket (actor system) unless it has
   * an open escalation or was auto-escalated before. A ticket that cannot be routed is noted on
   * its timeline; the breach itself is always recorded (this never throws for business reasons).
   */
  async onResolutionBreach(manager: EntityManager, breach: ResolutionBreach): Promise<void> {
    const policy = await this.get(manager);
    if (!policy.autoEscalateOnResolutionBreach || !policy.priorities.includes(breach.priority)) return;
    if (policy.onlyOutOfScope && breach.inScope !== false) return;

    const ticket = await this.tickets.lockedRow(manager, breach.ticketId);
    const [auto] = await manager.query(`SELECT 1 FROM escalations WHERE ticket_id = $1 AND trigger = 'sla_breach'`, [ticket.id]);
    if (auto) return;
    if (await this.reads.openEscalation(manager, ticket.id)) return;
    if (!canTransition(ticket.status, 'escalated', 'system')) return;
    try {
      await this.escalations.escalateLocked(manager, ticket, { reason: AUTO_ESCALATION_REASON }, SYSTEM_ACTOR, 'sla_breach', breach.at);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== DomainErrorCode.Unprocessable) throw error;
      this.logger.warn(`auto-escalation of ticket ${ticket.id} skipped: ${error.message}`);
      await this.timeline.record(manager, ticket.id, 'auto_escalation_skipped', SYSTEM_ACTOR, { detail: error.message, ...error.extensions }, breach.at);
    }
  }
}
