import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { instantView, isInstantText, prepared, queryPrepared } from '@helpdesk/database';
import {
  CustomerPlanHooks,
  PlanChange,
  Priority,
  REPLAN_SLA_CLOCKS,
  ReplannedClock,
  SupportPlan,
  AnyTicketView,
  TicketAudience,
  TicketChange,
  TicketColumns,
  TicketHooks,
  TicketRow,
  TicketWriteAddition,
} from '@helpdesk/intake';
import { BusinessCalendar } from './business-calendar';

/** The columns of `tickets` SlaClockService.extendView reads besides intake's own (TicketHook.viewColumns). */
export const SLA_VIEW_COLUMNS: readonly string[] = [
  'first_response_due_at',
  'first_response_warn_at',
  'resolution_due_at',
  'resolution_warn_at',
  'sla_paused_since',
  'sla_first_response_breached',
  'sla_resolution_breached',
  'resolved_at',
  'diagnosis',
  'in_scope',
  'priority_suggestion',
  'triaged_at',
];

/** Share of a target's business time at which the monitor warns. */
export const SLA_WARNING_SHARE = 0.75;

export interface SlaDueDates {
  firstResponseDueAt: Date;
  firstResponseWarnAt: Date;
  resolutionDueAt: Date;
  resolutionWarnAt: Date;
}

export interface SlaView {
  firstResponseDueAt: string | null;
  /** When the monitor warns: 75 % of the first-response target's business time used. */
  firstResponseWarnAt: string | null;
  resolutionDueAt: string | null;
  resolutionWarnAt: string | null;
  firstRespondedAt: string | null;
  pausedSince: string | null;
  breached: { firstResponse: boolean; resolution: boolean };
}

/** What the SLA clock does for one ticket change. */
interface ClockWork {
  setResolvedAt: boolean;
  clearResolvedAt: boolean;
  pause: boolean;
  resume: boolean;
  recompute: boolean;
}

/** A row's instant as the API shows it: a list's ISO text as it is, pg's Date formatted as it is, not copied first (51 rows × 8 instants a page). */
const iso = (d: Date | string | null | undefined): string | null => (d ? instantView(d) : null);
/** Milliseconds of a row's instant, without a copy when pg gave a Date. */
const msOf = (d: Date | string): number => (d instanceof Date ? d.getTime() : new Date(d).getTime());
/**
 * Whether instant `a` is after `b`. A list's rows give both as ISO text (timestamptzText), which
 * sorts as the instants do: compared without parsing them.
 */
const isAfter = (a: Date | string, b: Date | string): boolean =>
  typeof a === 'string' && typeof b === 'string' && isInstantText(a) && isInstantText(b) ? a > b : msOf(a) > msOf(b);

/**
 * Where a ticket's clock counts from: its creation, or the last change of its customer's plan
 * (`sla_clock_start_at`, with the business minutes used before it in `sla_used_minutes`).
 */
export interface SlaClockBase {
  start: Date;
  usedMinutes: number;
}

export function clockBase(row: Pick<TicketRow, 'created_at'> & { sla_clock_start_at?: unknown; sla_used_minutes?: unknown }): SlaClockBase {
  return {
    start: new Date((row.sla_clock_start_at as Date | null | undefined) ?? row.created_at),
    usedMinutes: Number(row.sla_used_minutes ?? 0),
  };
}

type PlanCalendar = Pick<SupportPlan, 'id' | 'timezone' | 'businessHours' | 'holidays' | 'updatedAt'>;

/**
 * A customer's support plan (SlaClockService.planOf). Prepared: every ticket change that recomputes
 * the clock (each of a bulk change's that sets the priority) reads it, and planning the join cost
 * more than running it. Its result columns are named: a migration adding a column leaves a
 * connection's plan of it valid.
 */
const PLAN_OF_CUSTOMER = prepared(
  'sla_plan_of_customer',
  `SELECT p.id, p.timezone, p.business_hours AS "businessHours", p.holidays, p.targets, p.updated_at AS "updatedAt"
     FROM support_plans p JOIN customers c ON c.support_plan_id = p.id WHERE c.id = $1`,
);

/**
 * The SLA clock of a ticket: due dates from its customer's support plan, counted in the plan's
 * business hours, paused while the ticket waits on the customer (the due dates then move by the
 * business time paused), recomputed from creation when the priority changes.
 */
@Injectable()
export class SlaClockService implements OnModuleInit {
  private readonly calendars = new Map<string, { version: number; calendar: BusinessCalendar }>();

  constructor(
    private readonly hooks: TicketHooks,
    private readonly planHooks: CustomerPlanHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      beforeWrite: (manager, change) => this.beforeWrite(manager, change),
      affects: (change) => this.affects(change),
      extendView: (row, view, audience) => this.extendView(row, view, audience),
      viewColumns: SLA_VIEW_COLUMNS,
    });
    this.planHooks.register({ onPlanChanged: async (manager, change) => void (await this.replan(manager, change)) });
  }

  calendar(plan: PlanCalendar): BusinessCalendar {
    const version = new Date(plan.updatedAt).getTime();
    const cached = this.calendars.get(plan.id);
    if (cached && cached.version === version) return cached.calendar;
    const calendar = new BusinessCalendar({ timezone: plan.timezone, businessHours: plan.businessHours, holidays: plan.holidays });
    if (this.calendars.size > 1000) this.calendars.clear();
    this.calendars.set(plan.id, { version, calendar });
    return calendar;
  }

  /**
   * The due and warning instants: each target's business minutes, less those `usedMinutes` spent
   * before `start` (under an earlier plan), plus those paused since, counted from `start` in the
   * plan's business hours. A target already used up is due at `start`.
   */
  dueDates(plan: SupportPlan, start: Date, priority: Priority, pausedMinutes: number, usedMinutes = 0): SlaDueDates {
    const calendar = this.calendar(plan);
    const target = plan.targets[priority];
    const at = (minutes: number) => calendar.addBusinessMinutes(start, Math.max(0, minutes - usedMinutes) + pausedMinutes);
    return {
      firstResponseDueAt: at(target.firstResponseMinutes),
      firstResponseWarnAt: at(target.firstResponseMinutes * SLA_WARNING_SHARE),
      resolutionDueAt: at(target.resolutionMinutes),
      resolutionWarnAt: at(target.resolutionMinutes * SLA_WARNING_SHARE),
    };
  }

  async planOf(manager: EntityManager, customerId: string): Promise<SupportPlan> {
    const [p] = await queryPrepared<SupportPlan>(manager, PLAN_OF_CUSTOMER, [customerId], { nameInTransaction: true });
    return p;
  }

  /** What the clock does for a change (pure): the work `afterChange` then does. */
  private work({ before, after }: Pick<TicketChange, 'before' | 'after'>): ClockWork {
    const statusChanged = before.status !== after.status;
    const started = after.sla_started_at !== null && after.sla_started_at !== undefined;
    return {
      setResolvedAt: statusChanged && after.status === 'resolved',
      clearResolvedAt: statusChanged && before.status === 'resolved' && after.status !== 'closed',
      pause: started && statusChanged && after.status === 'waiting_on_customer' && !after.sla_paused_since,
      resume: started && statusChanged && before.status === 'waiting_on_customer' && Boolean(after.sla_paused_since),
      recompute: started && before.priority !== after.priority,
    };
  }

  /** Whether `beforeWrite` has anything to do for this change (TicketHook.affects). */
  affects(change: Pick<TicketChange, 'before' | 'after'>): boolean {
    const w = this.work(change);
    return w.setResolvedAt || w.clearResolvedAt || w.pause || w.resume || w.recompute;
  }

  /**
   * Pause, resume, stop and recompute: the clock's columns and events, written with the ticket
   * change in its statement (`after` is the row as the change leaves it).
   */
  async beforeWrite(manager: EntityManager, change: TicketChange): Promise<TicketWriteAddition | null> {
    const { after, at } = change;
    const work = this.work(change);
    const columns: Record<string, unknown> = {};
    const events: TicketWriteAddition['events'] = [];
    const system = { actorKind: SYSTEM_ACTOR.kind, actorId: SYSTEM_ACTOR.id };
    if (work.setResolvedAt) columns.resolved_at = at;
    if (work.clearResolvedAt) columns.resolved_at = null;

    let pausedMinutes = Number(after.sla_paused_minutes ?? 0);
    let recompute = work.recompute;
    if (work.pause) {
      columns.sla_paused_since = at;
      events.push({ type: 'sla_paused', data: {}, ...system });
    }
    // The plan is read at most once per change, and only when the clock needs it.
    let plan: SupportPlan | undefined;
    const planOnce = async () => (plan ??= await this.planOf(manager, after.customer_id));
    if (work.resume) {
      const paused = this.calendar(await planOnce()).businessMinutesBetween(new Date(after.sla_paused_since as Date), at);
      pausedMinutes += paused;
      columns.sla_paused_since = null;
      columns.sla_paused_minutes = pausedMinutes;
      events.push({ type: 'sla_resumed', data: { pausedBusinessMinutes: Math.round(paused * 100) / 100 }, ...system });
      recompute = true;
    }
    if (recompute) {
      const base = clockBase(after);
      const due = this.dueDates(await planOnce(), base.start, after.priority, pausedMinutes, base.usedMinutes);
      columns.first_response_due_at = due.firstResponseDueAt;
      columns.first_response_warn_at = due.firstResponseWarnAt;
      columns.resolution_due_at = due.resolutionDueAt;
      columns.resolution_warn_at = due.resolutionWarnAt;
    }
    return Object.keys(columns).length > 0 || events.length > 0 ? { columns, events } : null;
  }

  /**
   * A customer moved to another plan: the clocks of their open, started tickets go on under the new
   * plan from the change on. What a clock used so far stays used (business minutes counted in the
   * old plan's hours, up to the change or to the start of a pause under way); what is left of each
   * target of the new plan is counted in the new plan's hours from then. One statement, with an
   * `sla_replanned` event per ticket, in the plan change's transaction.
   */
  async replan(manager: EntityManager, change: PlanChange): Promise<number> {
    const plans: SupportPlan[] = await manager.query(
      `SELECT id, timezone, business_hours AS "businessHours", holidays, targets, updated_at AS "updatedAt" FROM support_plans WHERE id = ANY($1::uuid[])`,
      [[change.fromPlanId, change.toPlanId]],
    );
    const from = plans.find((p) => p.id === change.fromPlanId)!;
    const to = plans.find((p) => p.id === change.toPlanId)!;
    const rows: TicketRow[] = await manager.query(
      `SELECT * FROM tickets WHERE customer_id = $1 AND status NOT IN ('resolved', 'closed') AND sla_started_at IS NOT NULL ORDER BY id FOR UPDATE`,
      [change.customerId],
    );
    if (rows.length === 0) return 0;
    const clocks: ReplannedClock[] = rows.map((row) => {
      const base = clockBase(row);
      const pausedSince = row.sla_paused_since as Date | null;
      const pivot = pausedSince ? new Date(pausedSince) : change.at;
      const spent = this.calendar(from).businessMinutesBetween(base.start, pivot) - Number(row.sla_paused_minutes ?? 0);
      const used = base.usedMinutes + Math.max(0, spent);
      const due = this.dueDates(to, pivot, row.priority, 0, used);
      return {
        id: row.id,
        clock_start_at: pivot,
        used_minutes: used,
        first_response_due_at: due.firstResponseDueAt,
        first_response_warn_at: due.firstResponseWarnAt,
        resolution_due_at: due.resolutionDueAt,
        resolution_warn_at: due.resolutionWarnAt,
        data: {
          fromPlanId: change.fromPlanId,
          toPlanId: change.toPlanId,
          usedBusinessMinutes: Math.round(used * 100) / 100,
          firstResponseDueAt: due.firstResponseDueAt.toISOString(),
          resolutionDueAt: due.resolutionDueAt.toISOString(),
        },
      };
    });
    const [{ n }]: Array<{ n: number }> = await manager.query(REPLAN_SLA_CLOCKS, [JSON.stringify(clocks), change.at, change.actor.kind, change.actor.id]);
    return n;
  }

  /**
   * The SLA clock for everyone; the diagnosis (known issues with scores, runbook, the baseline-scope
   * verdict) and the priority suggestion are the agents' working notes, for staff only.
   */
  extendView(row: TicketColumns, view: AnyTicketView, audience: TicketAudience = 'staff'): void {
    const firstDue = row.first_response_due_at as Date | string | null;
    const resolutionDue = row.resolution_due_at as Date | string | null;
    const responded = row.first_responded_at;
    const resolved = row.resolved_at as Date | string | null;
    const sla: SlaView = {
      firstResponseDueAt: iso(firstDue),
      firstResponseWarnAt: iso(row.first_response_warn_at as Date | string | null),
      resolutionDueAt: iso(resolutionDue),
      resolutionWarnAt: iso(row.resolution_warn_at as Date | string | null),
      firstRespondedAt: iso(responded),
      pausedSince: iso(row.sla_paused_since as Date | string | null),
      breached: {
        firstResponse: Boolean(row.sla_first_response_breached) || Boolean(firstDue && responded && isAfter(responded, firstDue)),
        resolution: Boolean(row.sla_resolution_breached) || Boolean(resolutionDue && resolved && isAfter(resolved, resolutionDue)),
      },
    };
    view.sla = sla;
    if (audience === 'staff') {
      view.diagnosis = (row.diagnosis as unknown) ?? null;
      view.inScope = (row.in_scope as boolean | null) ?? null;
      view.prioritySuggestion = (row.priority_suggestion as unknown) ?? null;
    }
    view.triagedAt = iso(row.triaged_at as Date | string | null);
  }
}
