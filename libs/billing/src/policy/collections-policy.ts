import { addDays, isTimeZone, LocalDate } from '../calendar/partner-calendar';
import { isCurrency, Minor, MoneyError, parseAmount } from '../money/money';

export const DUNNING_ACTIONS = ['remind', 'final_notice', 'suspend'] as const;
export type DunningAction = (typeof DUNNING_ACTIONS)[number];

export const PRODUCTS = ['azure', 'microsoft_365', 'dynamics_365', 'other'] as const;
export type Product = (typeof PRODUCTS)[number];

/** What a payment must clear before collections restores what it suspended. */
export const RESTORE_REQUIREMENTS = ['full', 'overdue'] as const;
export type RestoreRequirement = (typeof RESTORE_REQUIREMENTS)[number];

export const MAX_STEPS = 20;
export const MAX_STEP_DAYS = 365;

export interface PolicyStep {
  action: DunningAction;
  /** Days after the due date; the step is due from 00:00 of that date in the policy's time zone. */
  days: number;
  /** suspend only: the products it suspends (null: all). */
  products: Product[] | null;
  /** suspend only. */
  restoreRequires: RestoreRequirement | null;
}

export interface MinimumAmount {
  currency: string;
  minor: Minor;
}

export interface PolicyVersion {
  version: number;
  /** Invoices falling due on or after this date (until the next version's) follow this version. */
  effectiveOn: LocalDate;
  timezone: string;
  steps: PolicyStep[];
  minimumAmounts: MinimumAmount[];
  createdAt: Date;
}

/** A policy as sent by the partner (amounts still decimal strings). */
export interface PolicyInput {
  timezone: string;
  steps: Array<{ action: DunningAction; days: number; products?: Product[] | 'all'; restoreRequires?: RestoreRequirement }>;
  minimumAmounts?: Array<{ currency: string; amount: string }>;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The rules a policy must follow beyond the shape of its fields: a real time zone, steps ordered
 * by their days, `products`/`restoreRequires` on suspend steps only (and required there), one
 * minimum per currency in that currency's decimals. Every problem, each naming its field.
 */
export function checkPolicy(input: PolicyInput): { steps: PolicyStep[]; minimumAmounts: MinimumAmount[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!isTimeZone(input.timezone)) problems.push({ field: 'timezone', message: 'timezone must be an IANA time zone such as Europe/Madrid' });
  const steps: PolicyStep[] = input.steps.map((step, i) => {
    const at = `steps.${i}`;
    if (i > 0 && step.days < input.steps[i - 1].days) {
      problems.push({ field: `${at}.days`, message: `${at}.days must not be earlier than the step before it (steps are ordered by days)` });
    }
    if (step.action === 'suspend') {
      if (step.products === undefined) problems.push({ field: `${at}.products`, message: `${at}.products is required for a suspend step ("all" or a list)` });
      if (step.restoreRequires === undefined) problems.push({ field: `${at}.restoreRequires`, message: `${at}.restoreRequires is required for a suspend step (full or overdue)` });
    } else {
      if (step.products !== undefined) problems.push({ field: `${at}.products`, message: `${at}.products applies to suspend steps only` });
      if (step.restoreRequires !== undefined) problems.push({ field: `${at}.restoreRequires`, message: `${at}.restoreRequires applies to suspend steps only` });
    }
    return {
      action: step.action,
      days: step.days,
      products: step.action === 'suspend' && Array.isArray(step.products) ? [...step.products] : null,
      restoreRequires: step.action === 'suspend' ? (step.restoreRequires ?? null) : null,
    };
  });
  const seen = new Set<string>();
  const minimumAmounts: MinimumAmount[] = [];
  (input.minimumAmounts ?? []).forEach((m, i) => {
    const at = `minimumAmounts.${i}`;
    if (!isCurrency(m.currency)) return problems.push({ field: `${at}.currency`, message: `${at}.currency must be an ISO 4217 code such as EUR` });
    if (seen.has(m.currency)) return problems.push({ field: `${at}.currency`, message: `${at}.currency appears twice` });
    seen.add(m.currency);
    try {
      minimumAmounts.push({ currency: m.currency, minor: parseAmount(m.amount, m.currency) });
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      problems.push({ field: `${at}.amount`, message: `${at}.amount ${error.message}` });
    }
  });
  return { steps, minimumAmounts, problems };
}

/** The version an invoice falling due on `dueOn` follows: the last one in force by then, or the first. */
export function versionFor(versions: readonly PolicyVersion[], dueOn: LocalDate): PolicyVersion | null {
  let chosen: PolicyVersion | null = versions[0] ?? null;
  for (const v of versions) if (v.effectiveOn <= dueOn) chosen = v;
  return chosen;
}

/** The due dates each version governs: [from, until), from = null for the first (it also takes everything earlier). */
export interface DueRange {
  version: PolicyVersion;
  from: LocalDate | null;
  until: LocalDate | null;
}

export function dueRanges(versions: readonly PolicyVersion[]): DueRange[] {
  const ranges: DueRange[] = [];
  versions.forEach((version, i) => {
    const from = i === 0 ? null : version.effectiveOn;
    const until = versions[i + 1]?.effectiveOn ?? null;
    // A later version effective the same day supersedes this one entirely.
    if (from !== null && until !== null && until <= from) return;
    ranges.push({ version, from, until });
  });
  return ranges;
}

/** The date a step of an invoice due on `dueOn` is due. */
export const stepDate = (dueOn: LocalDate, step: PolicyStep): LocalDate => addDays(dueOn, step.days);

/**
 * The warning a suspend step waits for: the last warning step (final notice, else reminder) before
 * it in the version, and the notice period — the days the policy puts between that warning and the
 * suspension. A suspension is applied only once that many days have passed since the date that
 * warning actually went out for the invoice (a late-imported invoice gets its warning first, then
 * the full notice period). Null: the policy warns of nothing before this step.
 */
export function warningBefore(steps: readonly PolicyStep[], suspendStep: number): { step: number; noticeDays: number } | null {
  for (let i = suspendStep - 1; i >= 0; i--) {
    if (steps[i].action !== 'suspend') return { step: i, noticeDays: steps[suspendStep].days - steps[i].days };
  }
  return null;
}
