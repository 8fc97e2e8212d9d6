import type { BusinessClock } from './sla';

type CalendarClass = typeof import('./business-calendar').BusinessCalendar;
type PlanCalendar = { id: string } & ConstructorParameters<CalendarClass>[0];

/**
 * Each plan's calendar, built the first time a ticket of that plan asks for it, then kept: a ticket
 * page asks for one (building every plan's up front took ≈ 6 % of its first render's script).
 */
export class PlanCalendars {
  private readonly built = new Map<string, BusinessClock | null>();
  private readonly plans: Map<string, PlanCalendar>;

  constructor(
    private readonly Calendar: CalendarClass | undefined,
    plans: PlanCalendar[],
  ) {
    this.plans = new Map(plans.map((plan) => [plan.id, plan]));
  }

  /** Null until the calendar code is in, for an unknown plan, or for a calendar it cannot read. */
  of(planId: string): BusinessClock | null {
    if (!this.Calendar) return null;
    const known = this.built.get(planId);
    if (known !== undefined) return known;
    const plan = this.plans.get(planId);
    let calendar: BusinessClock | null = null;
    try {
      if (plan) calendar = new this.Calendar({ timezone: plan.timezone, businessHours: plan.businessHours, holidays: plan.holidays });
    } catch {
      // The API validates a plan's calendar on write; one it cannot read counts no business time here.
    }
    this.built.set(planId, calendar);
    return calendar;
  }
}
