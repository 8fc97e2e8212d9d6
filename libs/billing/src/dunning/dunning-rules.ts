import { addDays, localDate, LocalDate } from '../calendar/partner-calendar';
import { dueRanges, DunningAction, PolicyVersion, Product, RestoreRequirement, warningBefore } from '../policy/collections-policy';

/**
 * One step of one policy version as a run applies it: the invoices it concerns (due in
 * [from, until), the dates that version governs) and the last due date for which it is due by
 * the run's day (`cutoff` = today − days, today in that version's time zone).
 */
export interface DunningRule {
  version: number;
  step: number;
  action: DunningAction;
  days: number;
  from: LocalDate | null;
  until: LocalDate | null;
  cutoff: LocalDate;
  /** The run's day in this version's time zone (what `dunning_actions.applied_on` records). */
  today: LocalDate;
  /** suspend steps: the warning step it waits for and the notice period after it (null: none before it). */
  warning: { step: number; noticeDays: number } | null;
  products: Product[] | null;
  restoreRequires: RestoreRequirement | null;
  /** The version's minimum overdue amount in each currency (minor units). */
  minimums: Map<string, number>;
  timezone: string;
}

/** The rules of a run at `now` (or as of the partner date `asOf`, for every version). */
export function dunningRules(versions: readonly PolicyVersion[], now: Date, asOf?: LocalDate): DunningRule[] {
  return dueRanges(versions).flatMap(({ version, from, until }) => {
    const today = asOf ?? localDate(now, version.timezone);
    const minimums = new Map(version.minimumAmounts.map((m) => [m.currency, m.minor]));
    return version.steps.map((s, step) => ({
      version: version.version,
      step,
      action: s.action,
      days: s.days,
      from,
      until,
      cutoff: addDays(today, -s.days),
      today,
      warning: s.action === 'suspend' ? warningBefore(version.steps, step) : null,
      products: s.products,
      restoreRequires: s.restoreRequires,
      minimums,
      timezone: version.timezone,
    }));
  });
}
