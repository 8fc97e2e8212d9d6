import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, actorOf, Principal } from '@helpdesk/auth';
import { OutboxService } from '@helpdesk/database';
import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { TicketsService, TimelineService } from '@helpdesk/intake';
import { ESCALATION_QUEUES } from '@helpdesk/queue';
import { deliveryJobId } from '../delivery/delivery-job-id';
import { ContractHoursHooks } from '../entitlements/contract-hours-hooks';
import { EntitlementsService } from '../entitlements/entitlements.service';
import { deductHours } from '../routing/contract-hours';
import { EscalationTier } from '../routing/tiers';
import { EscalationReadsService } from './escalation-reads.service';
import { EscalationRow, EscalationStatus, EscalationView } from './escalation.view';

/** What an agent (PATCH) or the vendor (signed callback) reports about a case. */
export interface VendorUpdate {
  vendorCaseId?: string;
  status?: 'acknowledged' | 'resolved' | 'rejected';
  note?: string;
  hoursUsed?: number;
}

const PAID_TIERS: readonly EscalationTier[] = [EscalationTier.Premier, EscalationTier.Advanced];

/** Where each vendor status may be reached from. */
const VENDOR_TRANSITIONS: Record<NonNullable<VendorUpdate['status']>, readonly EscalationStatus[]> = {
  acknowledged: ['submitted'],
  resolved: ['submitted', 'acknowledged'],
  rejected: ['awaiting_vendor_case', 'submitted', 'acknowledged'],
};

/**
 * What happens to an escalation once it is made: the vendor's progress (an agent's PATCH or the
 * vendor's signed callback) up to resolved or rejected, and a failed delivery started again.
 */
@Injectable()
export class EscalationUpdatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
    private readonly entitlements: EntitlementsService,
    private readonly outbox: OutboxService,
    private readonly reads: EscalationReadsService,
    private readonly contractHours: ContractHoursHooks,
  ) {}

  async update(principal: Principal, id: string, update: VendorUpdate): Promise<EscalationView> {
    const row = await this.dataSource.transaction((manager) =>
      this.lockForChange(manager, id).then((locked) => this.applyVendorUpdate(manager, locked, update, actorOf(principal))),
    );
    return this.reads.get(row.id);
  }

  /** A failed delivery starts again from its first attempt (a new job; the Idempotency-Key stays the id). */
  async retry(principal: Principal, id: string): Promise<EscalationView> {
    const actor = actorOf(principal);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.lockForChange(manager, id);
      if (row.status !== 'failed') {
        throw new DomainError(DomainErrorCode.Conflict, `Only a failed escalation can be retried; this one is ${row.status}`);
      }
      const [[after]]: [EscalationRow[], number] = await manager.query(
        `UPDATE escalations SET status = 'queued', delivery_round = delivery_round + 1, last_error = NULL, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id],
      );
      await this.timeline.record(manager, row.ticket_id, 'escalation_retried', actor, { escalationId: id, tier: row.tier });
      await this.outbox.enqueue(manager, ESCALATION_QUEUES[row.tier], deliveryJobId(id, after.delivery_round), { escalationId: id });
    });
    this.outbox.wakeRelays();
    return this.reads.get(id);
  }

  /** Locks the ticket, then the escalation (the order every writer uses). */
  async lockForChange(manager: EntityManager, id: string): Promise<EscalationRow> {
    const [found]: Array<{ ticket_id: string }> = await manager.query(`SELECT ticket_id FROM escalations WHERE id = $1`, [id]);
    if (!found) throw DomainError.notFound('Escalation', id);
    await manager.query(`SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE`, [found.ticket_id]);
    const [row]: EscalationRow[] = await manager.query(`SELECT * FROM escalations WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  /**
   * Applies a vendor case id and/or a vendor status to a locked escalation: `resolved` deducts the
   * contract hours and hands the ticket back to the agent, all in the caller's transaction.
   */
  async applyVendorUpdate(manager: EntityManager, row: EscalationRow, update: VendorUpdate, actor: Actor): Promise<EscalationRow> {
    if (update.vendorCaseId === undefined && update.status === undefined && update.note === undefined) {
      throw DomainError.invalid('status', 'send at least one of vendorCaseId, status, note');
    }
    const paid = PAID_TIERS.includes(row.tier);
    if (update.hoursUsed !== undefined) {
      if (!paid) throw DomainError.invalid('hoursUsed', `only premier and advanced cases use contract hours, not ${row.tier}`);
      if (update.status !== 'resolved') throw DomainError.invalid('hoursUsed', 'is recorded when the case is resolved');
    }
    if (update.status === 'resolved' && paid && update.hoursUsed === undefined) {
      throw DomainError.invalid('hoursUsed', `is required when a ${row.tier} case is resolved`);
    }

    let status = row.status;
    const columns: Record<string, unknown> = {};
    const events: Array<[string, Record<string, unknown>]> = [];
    if (update.vendorCaseId !== undefined) {
      if (status === 'awaiting_vendor_case') {
        status = 'submitted';
        columns.submitted_at = new Date();
        events.push(['escalation_submitted', { escalationId: row.id, tier: row.tier, vendorCaseId: update.vendorCaseId }]);
      } else if (status !== 'submitted' && status !== 'acknowledged') {
        throw new DomainError(DomainErrorCode.Conflict, `A vendor case id cannot be recorded on a ${status} escalation`);
      }
      columns.vendor_case_id = update.vendorCaseId;
    }
    if (update.note !== undefined) columns.note = update.note;
    if (update.status !== undefined) {
      if (!VENDOR_TRANSITIONS[update.status].includes(status)) {
        throw new DomainError(DomainErrorCode.Conflict, `An escalation cannot go from ${status} to ${update.status}`, {
          from: status,
          to: update.status,
        });
      }
      status = update.status;
      events.push([`escalation_${update.status}`, { escalationId: row.id, tier: row.tier, note: update.note ?? null, hoursUsed: update.hoursUsed ?? null }]);
    }
    if (status !== row.status) columns.status = status;

    if (status === 'resolved' || status === 'rejected') {
      columns.closed_at = new Date();
      if (update.hoursUsed !== undefined) {
        columns.hours_used = update.hoursUsed;
        const which = row.tier as 'premier' | 'advanced';
        const contract = (await this.entitlements.load(manager, true))[which];
        const deduction = deductHours({ hoursRemaining: Number(contract.hoursRemaining), hoursPurchased: Number(contract.hoursPurchased) }, update.hoursUsed);
        await this.entitlements.setHoursRemaining(manager, which, deduction.hoursRemaining);
        events.push(['contract_hours_deducted', { escalationId: row.id, tier: which, hoursUsed: update.hoursUsed, hoursRemaining: deduction.hoursRemaining }]);
        if (deduction.crossedLowThreshold) {
          events.push(['contract_hours_low', { tier: which, hoursRemaining: deduction.hoursRemaining, hoursPurchased: Number(contract.hoursPurchased) }]);
          const low = { tier: which, hoursRemaining: deduction.hoursRemaining, hoursPurchased: Number(contract.hoursPurchased), ticketId: row.ticket_id, escalationId: row.id };
          await this.contractHours.hoursLow(manager, low);
        }
      }
    }

    const names = Object.keys(columns);
    const [[after]]: [EscalationRow[], number] = await manager.query(
      `UPDATE escalations SET ${names.map((c, i) => `${c} = $${i + 2}`).join(', ')}${names.length ? ', ' : ''}updated_at = now() WHERE id = $1 RETURNING *`,
      [row.id, ...names.map((c) => columns[c])],
    );
    for (const [type, data] of events) await this.timeline.record(manager, row.ticket_id, type, actor, data);

    // The vendor is done: the agent takes the ticket back to confirm with the customer.
    if (status !== row.status && (status === 'resolved' || status === 'rejected')) {
      const ticket = await this.tickets.lockedRow(manager, row.ticket_id);
      if (ticket.status === 'escalated') await this.tickets.apply(manager, ticket, { status: 'in_progress' }, actor);
    }
    return after;
  }
}
