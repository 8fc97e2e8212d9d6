import { DateTime, Duration } from 'luxon';
import { planHoursText, Priority, SupportPlan } from '@helpdesk/intake';
import type { MailLocale } from './notification-templates';

/** What an acknowledgement tells of the customer's support plan, worded in the recipient's language. */
export interface PlanSummary {
  planName: string;
  priority: Priority;
  /** e.g. `Mon–Fri 09:00–18:00 (Europe/Madrid)`. */
  hours: string;
  /** The plan's holidays in the coming weeks (when the partner is closed), as dates; empty when none. */
  holidays: string[];
  /** e.g. `4 hours`, `1 hour, 30 minutes`. */
  firstResponse: string;
  resolution: string;
  /** Whether the targets count only the hours of service (a plan with business hours) or round the clock. */
  businessTime: boolean;
}

/** How far ahead an acknowledgement looks for holidays: those the customer may run into while the ticket is open. */
const HOLIDAY_HORIZON_DAYS = 60;
const MAX_HOLIDAYS = 5;

type PlanFacts = Pick<SupportPlan, 'name' | 'timezone' | 'businessHours' | 'holidays' | 'targets'>;

/**
 * Summaries made in the last minute, by everything they are made of (the plan's words, hours,
 * holidays and the priority's targets, the locale, the minute): a burst of mail acknowledges many
 * tickets of a few plans, and Intl's time-zone and date formatting is most of an acknowledgement's
 * composing. An edited plan is another key; no zone's date changes within a minute of UTC (every
 * offset is whole minutes), and the date is all the summary reads of `now`.
 */
const lately = new Map<string, PlanSummary>();
const LATELY_MAX = 256;

/**
 * The plan's hours, upcoming holidays and the targets for the ticket's priority, formatted by Intl
 * (through Luxon) in `locale`, never by hand.
 */
export function planSummary(plan: PlanFacts, priority: Priority, locale: MailLocale, now = new Date()): PlanSummary {
  const key = JSON.stringify([Math.floor(now.getTime() / 60_000), priority, locale, plan.name, plan.timezone, plan.businessHours, plan.holidays, plan.targets[priority]]);
  let summary = lately.get(key);
  if (!summary) {
    if (lately.size >= LATELY_MAX) lately.clear();
    summary = summarise(plan, priority, locale, now);
    lately.set(key, summary);
  }
  return { ...summary, holidays: [...summary.holidays] };
}

function summarise(plan: PlanFacts, priority: Priority, locale: MailLocale, now: Date): PlanSummary {
  const target = plan.targets[priority];
  const today = DateTime.fromJSDate(now).setZone(plan.timezone);
  const horizon = today.plus({ days: HOLIDAY_HORIZON_DAYS });
  const holidays = [...plan.holidays]
    .map((iso) => DateTime.fromISO(iso, { zone: plan.timezone }))
    .filter((d) => d.isValid && d >= today.startOf('day') && d <= horizon)
    .sort((a, b) => a.toMillis() - b.toMillis())
    .slice(0, MAX_HOLIDAYS)
    .map((d) => d.setLocale(locale).toLocaleString(DateTime.DATE_FULL));
  return {
    planName: plan.name,
    priority,
    hours: planHoursText(plan, locale),
    holidays,
    firstResponse: duration(target.firstResponseMinutes, locale),
    resolution: duration(target.resolutionMinutes, locale),
    businessTime: plan.businessHours.length > 0,
  };
}

/** Minutes as hours and minutes (`26 hours, 30 minutes`): days would be ambiguous for targets counted in business time. */
function duration(minutes: number, locale: MailLocale): string {
  const shifted = Duration.fromObject({ minutes }).shiftTo('hours', 'minutes').toObject();
  const parts = Object.fromEntries(Object.entries(shifted).filter(([, v]) => v !== 0));
  return Duration.fromObject(Object.keys(parts).length > 0 ? parts : { minutes: 0 }, { locale }).toHuman({ unitDisplay: 'long', listStyle: 'long' });
}
