import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '@helpdesk/auth';
import { OutboxService } from '@helpdesk/database';
import { LockedAccount, lockAccounts } from '../accounts/account-lock';
import { addDays, localDate, LocalDate } from '../calendar/partner-calendar';
import { BillingClock } from '../clock/billing-clock';
import { DISPUTE_LOOKUP } from '../disputes/dispute-lookup';
import type { DisputeLookup } from '../disputes/dispute-lookup';
import { formatAmount } from '../money/money';
import { insertNotices, NoticeRow } from '../notices/notice-writes';
import { CollectionsPolicyService } from '../policy/collections-policy.service';
import { DunningAction, Product } from '../policy/collections-policy';
import { currentDeliveryMode, SubscriptionSnapshot } from '../provisioning/provisioning-actions';
import { insertSuspensions, NewSuspension, SELECT_SNAPSHOT_COLUMNS } from '../suspensions/suspension-writes';
import { BillingTimeline } from '../timeline/billing-timeline.service';
import { DunningRule, dunningRules } from './dunning-rules';

export interface DunningScope {
  /** The partner date the run acts as of (every version); default today in each version's time zone. */
  asOf?: LocalDate;
  /** Decide but write nothing. */
  dryRun?: boolean;
  /** Only these customers (a deadline, an import); default every customer with something due. */
  customerIds?: readonly string[];
  runId?: string | null;
}

export interface DunningPreviewItem {
  customerId: string;
  invoice: string;
  action: DunningAction;
  policyVersion: number;
  step: number;
  stepDueOn: LocalDate;
}

export interface DunningOutcome {
  asOf: LocalDate | null;
  customers: number;
  applied: Record<DunningAction, number>;
  notices: number;
  suspensions: number;
  subscriptionsSuspended: number;
  /** Customers left alone, by why (`disputed`: customers with a step held for a dispute). */
  skipped: { paused: number; belowMinimum: number; disputed: number };
  /** (invoice, step) pairs due but held while a dispute is open (each recorded once in `dunning_holds`). */
  held: number;
  /**
   * Warning steps a run found already past a later warning of the same invoice (a late import, a
   * pause, a dispute ending): recorded as superseded, never sent; only the latest warning due goes out.
   */
  superseded: number;
  /** (invoice, suspend step) pairs due by the policy's days but waiting for the notice period after the warning actually sent. */
  deferred: number;
  /** Dry runs: the first PREVIEW_LIMIT (invoice, step) pairs that would be applied. */
  preview?: DunningPreviewItem[];
}

/** Customers per transaction: each holds those customers' account locks while it decides and writes. */
export const DUNNING_BATCH = 1000;
export const PREVIEW_LIMIT = 200;

/** A notice or a suspension to record: one per customer and (version, step) in a batch. */
interface DecisionGroup {
  id: string;
  customerId: string;
  rule: DunningRule;
  invoices: Candidate[];
  subscriptions: SubscriptionSnapshot[];
}

interface Candidate {
  invoice_id: string;
  number: string;
  customer_id: string;
  balance: string;
  version: number;
  step: number;
  /** The date the step fell due: the invoice's due date + the step's days. */
  step_due: LocalDate;
}

/** A step due for an invoice that a dispute holds: the invoice itself is disputed, or (a suspension) another one of the customer's. */
interface HeldStep extends Candidate {
  action: DunningAction;
  reason: 'invoice_disputed' | 'customer_disputes';
  disputed: string[];
}

const emptyOutcome = (asOf: LocalDate | null, dryRun: boolean): DunningOutcome => ({
  asOf,
  customers: 0,
  applied: { remind: 0, final_notice: 0, suspend: 0 },
  notices: 0,
  suspensions: 0,
  subscriptionsSuspended: 0,
  skipped: { paused: 0, belowMinimum: 0, disputed: 0 },
  held: 0,
  superseded: 0,
  deferred: 0,
  ...(dryRun ? { preview: [] } : {}),
});

/**
 * Applies the collections policy: every step due by the run's day, to every open invoice it
 * concerns, exactly once. Set-based, in batches of customers: each batch locks its customers'
 * accounts (the lock payments and deliveries take too), reads what is due and not yet applied,
 * and records each (invoice, step) in `dunning_actions` — primary key (invoice, version, step), so
 * a repeated or concurrent run finds it applied — together with what the step does (notice,
 * suspension, their hand-offs and timeline events), in the same transaction.
 */
@Injectable()
export class DunningEngine {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: CollectionsPolicyService,
    private readonly timeline: BillingTimeline,
    private readonly outbox: OutboxService,
    private readonly clock: BillingClock,
    @Inject(DISPUTE_LOOKUP) private readonly disputes: DisputeLookup,
  ) {}

  async run(scope: DunningScope = {}): Promise<DunningOutcome> {
    const versions = await this.policy.versions();
    const dryRun = scope.dryRun === true;
    if (versions.length === 0) return emptyOutcome(scope.asOf ?? null, dryRun);
    const now = this.clock.now();
    const today = scope.asOf ?? localDate(now, versions[versions.length - 1].timezone);
    const rules = dunningRules(versions, now, scope.asOf);
    const outcome = emptyOutcome(today, dryRun);
    if (rules.length === 0) return outcome;
    const maxCutoff = rules.reduce((max, r) => (r.cutoff > max ? r.cutoff : max), rules[0].cutoff);
    const customers: Array<{ customer_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT customer_id FROM invoices
        WHERE status = 'open' AND due_on <= $1 AND ($2::uuid[] IS NULL OR customer_id = ANY($2::uuid[]))
        ORDER BY customer_id`,
      [maxCutoff, scope.customerIds ?? null],
    );
    for (let i = 0; i < customers.length; i += DUNNING_BATCH) {
      const batch = customers.slice(i, i + DUNNING_BATCH).map((c) => c.customer_id);
      const run = (manager: EntityManager) => this.batch(manager, batch, rules, today, scope, outcome, now);
      if (dryRun) await run(this.dataSource.manager);
      else await this.dataSource.transaction(run);
      if (!dryRun) this.outbox.wakeRelays();
    }
    return outcome;
  }

  private async batch(manager: EntityManager, customerIds: string[], rules: DunningRule[], today: LocalDate, scope: DunningScope, outcome: DunningOutcome, at: Date): Promise<void> {
    const dryRun = scope.dryRun === true;
    const accounts = new Map<string, LockedAccount>(
      (dryRun
        ? await manager.query(`SELECT customer_id, currency, locale, paused_until::text AS paused_until FROM billing_accounts WHERE customer_id = ANY($1::uuid[])`, [customerIds])
        : await lockAccounts(manager, customerIds)
      ).map((a: LockedAccount) => [a.customer_id, a]),
    );
    const candidates: Candidate[] = await manager.query(
      `WITH rules AS (
         SELECT * FROM unnest($2::int[], $3::int[], $4::date[], $5::date[], $6::date[], $8::int[]) AS r(version, step, from_on, until_on, cutoff, days)
       )
       SELECT i.id AS invoice_id, i.number, i.customer_id, (i.due_on + r.days)::text AS step_due, (i.total - i.paid)::text AS balance, r.version, r.step
         FROM invoices i
         JOIN rules r ON (r.from_on IS NULL OR i.due_on >= r.from_on) AND (r.until_on IS NULL OR i.due_on < r.until_on) AND i.due_on <= r.cutoff
        WHERE i.customer_id = ANY($1::uuid[]) AND i.status = 'open' AND i.due_on <= $7::date
          AND NOT EXISTS (SELECT 1 FROM dunning_actions d WHERE d.invoice_id = i.id AND d.policy_version = r.version AND d.step = r.step)
        ORDER BY i.customer_id, r.version, r.step, i.due_on, i.number`,
      [
        customerIds,
        rules.map((r) => r.version),
        rules.map((r) => r.step),
        rules.map((r) => r.from),
        rules.map((r) => r.until),
        rules.map((r) => r.cutoff),
        rules.reduce((max, r) => (r.cutoff > max ? r.cutoff : max), rules[0].cutoff),
        rules.map((r) => r.days),
      ],
    );
    if (candidates.length === 0) return;
    const overdueRows: Array<{ customer_id: string; overdue: string }> = await manager.query(
      `SELECT customer_id, sum(total - paid)::text AS overdue FROM invoices
        WHERE customer_id = ANY($1::uuid[]) AND status = 'open' AND due_on < $2 GROUP BY customer_id`,
      [[...new Set(candidates.map((c) => c.customer_id))], today],
    );
    const overdue = new Map(overdueRows.map((r) => [r.customer_id, Number(r.overdue)]));
    const ruleOf = new Map(rules.map((r) => [`${r.version}:${r.step}`, r]));

    // Who is left alone: paused customers entirely, customers below the minimum for that version.
    const paused = new Set<string>();
    const belowMinimum = new Set<string>();
    let kept = candidates.filter((c) => {
      const account = accounts.get(c.customer_id)!;
      if (account.paused_until !== null && account.paused_until >= today) return !paused.add(c.customer_id);
      const minimum = ruleOf.get(`${c.version}:${c.step}`)!.minimums.get(account.currency) ?? 0;
      if ((overdue.get(c.customer_id) ?? 0) < Math.max(minimum, 1)) return !belowMinimum.add(c.customer_id);
      return true;
    });
    // Dispute grace: every step of a disputed invoice waits, and so does any suspension of the customer.
    const disputed = await this.disputes.openDisputes(manager, [...new Set(kept.map((c) => c.customer_id))]);
    const held: HeldStep[] = [];
    kept = kept.filter((c) => {
      const numbers = disputed.get(c.customer_id);
      if (!numbers) return true;
      const action = ruleOf.get(`${c.version}:${c.step}`)!.action;
      const reason = numbers.includes(c.number) ? 'invoice_disputed' : action === 'suspend' ? 'customer_disputes' : null;
      if (reason === null) return true;
      held.push({ ...c, action, reason, disputed: numbers });
      return false;
    });
    const acting = new Set(kept.map((c) => c.customer_id));
    outcome.skipped.paused += paused.size;
    outcome.skipped.belowMinimum += [...belowMinimum].filter((c) => !acting.has(c)).length;
    outcome.skipped.disputed += new Set(held.map((h) => h.customer_id)).size;
    outcome.held += held.length;
    outcome.customers += acting.size;
    if (!dryRun && held.length > 0) await this.recordHolds(manager, held, scope.runId ?? null, at);
    if (kept.length === 0) return;
    const { sending, superseded, deferred } = await this.warnFirst(manager, kept, ruleOf);
    kept = sending;
    outcome.superseded += superseded.length;
    outcome.deferred += deferred;
    if (!dryRun && superseded.length > 0) await this.recordSuperseded(manager, superseded, ruleOf, scope.runId ?? null, at);
    if (kept.length === 0) return;

    if (dryRun) {
      for (const c of kept) {
        const action = ruleOf.get(`${c.version}:${c.step}`)!.action;
        outcome.applied[action]++;
        if (outcome.preview!.length < PREVIEW_LIMIT) {
          outcome.preview!.push({ customerId: c.customer_id, invoice: c.number, action, policyVersion: c.version, step: c.step, stepDueOn: c.step_due });
        }
      }
      // The notices and suspensions a real run would record, counted as it counts them.
      const groups = [...(await this.group(manager, kept, ruleOf)).values()];
      outcome.notices += groups.filter((g) => g.rule.action !== 'suspend').length;
      const suspending = groups.filter((g) => g.rule.action === 'suspend' && g.subscriptions.length > 0);
      outcome.suspensions += suspending.length;
      outcome.subscriptionsSuspended += suspending.reduce((n, g) => n + g.subscriptions.length, 0);
      return;
    }
    await this.apply(manager, kept, ruleOf, accounts, scope.runId ?? null, outcome, at);
  }

  /**
   * Never a suspension without its warning, never a pile of warnings at once. Per invoice: of the
   * warning steps due (reminders, final notices), only the latest goes out — the earlier ones are
   * superseded; a suspend step goes out only once the policy's notice period (its days minus those
   * of the last warning step before it) has passed since the date that warning actually went out
   * (`dunning_actions.applied_on`; this run's day when it goes out now). Everything is counted in
   * partner dates, so a run as of a chosen day decides as a run on that day would.
   */
  private async warnFirst(manager: EntityManager, kept: Candidate[], ruleOf: Map<string, DunningRule>): Promise<{ sending: Candidate[]; superseded: Candidate[]; deferred: number }> {
    const rule = (c: Candidate) => ruleOf.get(`${c.version}:${c.step}`)!;
    const latestWarning = new Map<string, number>();
    for (const c of kept) {
      if (rule(c).action === 'suspend') continue;
      const key = `${c.invoice_id}:${c.version}`;
      latestWarning.set(key, Math.max(latestWarning.get(key) ?? -1, c.step));
    }
    const superseded = kept.filter((c) => rule(c).action !== 'suspend' && c.step < latestWarning.get(`${c.invoice_id}:${c.version}`)!);
    const gated = kept.filter((c) => rule(c).action === 'suspend' && rule(c).warning !== null);
    const sentOn = new Map<string, LocalDate>();
    if (gated.length > 0) {
      const rows: Array<{ invoice_id: string; policy_version: number; step: number; sent_on: LocalDate }> = await manager.query(
        `SELECT invoice_id, policy_version, step, COALESCE(applied_on, due_on)::text AS sent_on FROM dunning_actions
          WHERE invoice_id = ANY($1::uuid[]) AND action <> 'suspend'`,
        [[...new Set(gated.map((c) => c.invoice_id))]],
      );
      for (const r of rows) sentOn.set(`${r.invoice_id}:${r.policy_version}:${r.step}`, r.sent_on);
    }
    let deferred = 0;
    const sending = kept.filter((c) => {
      const r = rule(c);
      if (r.action !== 'suspend') return c.step === latestWarning.get(`${c.invoice_id}:${c.version}`);
      if (r.warning === null) return true;
      // The warning went out on a recorded date, or goes out in this run (today), or has not gone out at all.
      const warned = sentOn.get(`${c.invoice_id}:${c.version}:${r.warning.step}`) ?? ((latestWarning.get(`${c.invoice_id}:${c.version}`) ?? -1) >= r.warning.step ? r.today : null);
      if (warned !== null && addDays(warned, r.warning.noticeDays) <= r.today) return true;
      deferred++;
      return false;
    });
    return { sending, superseded, deferred };
  }

  /** Records the warning steps a later warning superseded, so that they never go out (each once, like any step). */
  private async recordSuperseded(manager: EntityManager, superseded: Candidate[], ruleOf: Map<string, DunningRule>, runId: string | null, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO dunning_actions (invoice_id, policy_version, step, action, customer_id, due_on, run_id, applied_at, applied_on, outcome)
       SELECT a.invoice_id, a.version, a.step, a.action, a.customer_id, a.due_on, $7, $8, a.applied_on, 'superseded'
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::uuid[], $6::date[], $9::date[]) AS a(invoice_id, version, step, action, customer_id, due_on, applied_on)
       ON CONFLICT DO NOTHING`,
      [
        superseded.map((c) => c.invoice_id),
        superseded.map((c) => c.version),
        superseded.map((c) => c.step),
        superseded.map((c) => ruleOf.get(`${c.version}:${c.step}`)!.action),
        superseded.map((c) => c.customer_id),
        superseded.map((c) => c.step_due),
        runId,
        at,
        superseded.map((c) => ruleOf.get(`${c.version}:${c.step}`)!.today),
      ],
    );
  }

  /**
   * Records the steps a dispute holds, each (invoice, version, step) once: a repeated run finds it
   * recorded and adds nothing; the customer's timeline tells of each newly held step once.
   */
  private async recordHolds(manager: EntityManager, held: HeldStep[], runId: string | null, at: Date): Promise<void> {
    const recorded: Array<{ customer_id: string; invoice_number: string; action: DunningAction; policy_version: number; step: number; reason: HeldStep['reason']; disputed_invoices: string[] }> =
      await manager.query(
        `INSERT INTO dunning_holds (invoice_id, policy_version, step, action, customer_id, invoice_number, reason, disputed_invoices, run_id, held_at)
         SELECT h.invoice_id, h.version, h.step, h.action, h.customer_id, h.number, h.reason, h.disputed, $2, $3
           FROM jsonb_to_recordset($1::jsonb) AS h(invoice_id uuid, version int, step int, action text, customer_id uuid, number text, reason text, disputed text[])
         ON CONFLICT DO NOTHING
         RETURNING customer_id, invoice_number, action, policy_version, step, reason, disputed_invoices`,
        [
          JSON.stringify(held.map((h) => ({ invoice_id: h.invoice_id, version: h.version, step: h.step, action: h.action, customer_id: h.customer_id, number: h.number, reason: h.reason, disputed: h.disputed }))),
          runId,
          at,
        ],
      );
    await this.timeline.recordMany(
      manager,
      recorded.map((h) => ({
        customerId: h.customer_id,
        type: 'dunning_step_held' as const,
        data: { invoice: h.invoice_number, action: h.action, policyVersion: h.policy_version, step: h.step, reason: h.reason, disputedInvoices: h.disputed_invoices },
      })),
      SYSTEM_ACTOR,
      at,
    );
  }

  /**
   * One notice or suspension per customer and (version, step) in a batch, with the active
   * subscriptions each suspension takes (read only: a dry run counts with it too).
   */
  private async group(manager: EntityManager, kept: Candidate[], ruleOf: Map<string, DunningRule>): Promise<Map<string, DecisionGroup>> {
    const groups = new Map<string, DecisionGroup>();
    for (const c of kept) {
      const key = `${c.customer_id}:${c.version}:${c.step}`;
      if (!groups.has(key)) groups.set(key, { id: randomUUID(), customerId: c.customer_id, rule: ruleOf.get(`${c.version}:${c.step}`)!, invoices: [], subscriptions: [] });
      groups.get(key)!.invoices.push(c);
    }
    const suspendGroups = [...groups.values()].filter((g) => g.rule.action === 'suspend');
    if (suspendGroups.length > 0) {
      const active: Array<SubscriptionSnapshot & { customer_id: string }> = await manager.query(
        `SELECT customer_id, ${SELECT_SNAPSHOT_COLUMNS} FROM subscriptions WHERE customer_id = ANY($1::uuid[]) AND status = 'active' ORDER BY customer_id, created_at, id`,
        [[...new Set(suspendGroups.map((g) => g.customerId))]],
      );
      const taken = new Set<string>();
      for (const group of suspendGroups) {
        group.subscriptions = active
          .filter((s) => s.customer_id === group.customerId && !taken.has(s.id) && (group.rule.products === null || group.rule.products.includes(s.product)))
          .map(({ customer_id: _owner, ...snapshot }) => snapshot);
        for (const s of group.subscriptions) taken.add(s.id);
      }
    }
    return groups;
  }

  /** Writes one batch's decisions (the caller's transaction holds the customers' account locks). */
  private async apply(
    manager: EntityManager,
    kept: Candidate[],
    ruleOf: Map<string, DunningRule>,
    accounts: Map<string, LockedAccount>,
    runId: string | null,
    outcome: DunningOutcome,
    at: Date,
  ): Promise<void> {
    const groups = await this.group(manager, kept, ruleOf);
    const groupOf = kept.map((c) => groups.get(`${c.customer_id}:${c.version}:${c.step}`)!);
    const inserted: Array<{ invoice_id: string; policy_version: number; step: number }> = await manager.query(
      `INSERT INTO dunning_actions (invoice_id, policy_version, step, action, customer_id, due_on, run_id, notice_id, suspension_id, applied_at, applied_on)
       SELECT a.invoice_id, a.version, a.step, a.action, a.customer_id, a.due_on, $9, a.notice_id, a.suspension_id, $10, a.applied_on
         FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::uuid[], $6::date[], $7::uuid[], $8::uuid[], $11::date[])
              AS a(invoice_id, version, step, action, customer_id, due_on, notice_id, suspension_id, applied_on)
       ON CONFLICT DO NOTHING
       RETURNING invoice_id, policy_version, step`,
      [
        kept.map((c) => c.invoice_id),
        kept.map((c) => c.version),
        kept.map((c) => c.step),
        groupOf.map((g) => g.rule.action),
        kept.map((c) => c.customer_id),
        kept.map((c) => c.step_due),
        groupOf.map((g) => (g.rule.action === 'suspend' ? null : g.id)),
        groupOf.map((g) => (g.rule.action === 'suspend' && g.subscriptions.length > 0 ? g.id : null)),
        runId,
        at,
        groupOf.map((g) => g.rule.today),
      ],
    );
    // The account locks make a conflict impossible; should one ever happen, only what was recorded here acts.
    if (inserted.length < kept.length) {
      const done = new Set(inserted.map((r) => `${r.invoice_id}:${r.policy_version}:${r.step}`));
      for (const group of groups.values()) group.invoices = group.invoices.filter((c) => done.has(`${c.invoice_id}:${c.version}:${c.step}`));
    }
    const live = [...groups.values()].filter((g) => g.invoices.length > 0);
    for (const g of live) outcome.applied[g.rule.action] += g.invoices.length;

    const suspensions = live.filter((g) => g.rule.action === 'suspend');
    const withSubscriptions: NewSuspension[] = suspensions
      .filter((g) => g.subscriptions.length > 0)
      .map((g) => ({
        id: g.id,
        customerId: g.customerId,
        origin: 'collections',
        products: g.rule.products,
        subscriptions: g.subscriptions,
        invoiceIds: g.invoices.map((c) => c.invoice_id),
        invoiceNumbers: g.invoices.map((c) => c.number),
        policyVersion: g.rule.version,
        step: g.rule.step,
        restoreRequires: g.rule.restoreRequires,
        reason: `collections policy version ${g.rule.version}, step ${g.rule.step}: ${g.rule.days} days overdue`,
      }));
    if (withSubscriptions.length > 0) {
      await insertSuspensions(manager, this.timeline, withSubscriptions, SYSTEM_ACTOR, await currentDeliveryMode(manager), at);
      outcome.suspensions += withSubscriptions.length;
      outcome.subscriptionsSuspended += withSubscriptions.reduce((n, s) => n + s.subscriptions.length, 0);
    }

    // The customer hears of each warning and of each suspension, in its language: notices written
    // with the step (and the suspension), handed to the e-mail channel in one job for the batch.
    const told = live.filter((g) => g.rule.action !== 'suspend' || g.subscriptions.length > 0);
    const suspendAfter = (g: DecisionGroup) =>
      g.rule.action === 'suspend' ? undefined : [...ruleOf.values()].find((r) => r.version === g.rule.version && r.action === 'suspend' && r.warning?.step === g.rule.step);
    // What a final notice threatens: the products of the step the customer holds active today.
    const warned = [...new Set(told.filter((g) => suspendAfter(g) !== undefined).map((g) => g.customerId))];
    const held = new Map<string, Product[]>(
      warned.length === 0
        ? []
        : (
            await manager.query(`SELECT customer_id, array_agg(DISTINCT product ORDER BY product) AS products FROM subscriptions WHERE customer_id = ANY($1::uuid[]) AND status = 'active' GROUP BY customer_id`, [
              warned,
            ])
          ).map((r: { customer_id: string; products: Product[] }) => [r.customer_id, r.products]),
    );
    const rows: NoticeRow[] = told.map((g) => {
      const account = accounts.get(g.customerId)!;
      const suspension = g.rule.action === 'suspend';
      const dueDates = g.invoices.map((c) => addDays(c.step_due, -g.rule.days)).sort();
      // A warning that a suspend step waits for says from when, and what, it suspends: the earliest
      // of its invoices' dates (the step's own date, or the notice period after today's warning).
      const next = suspendAfter(g);
      const threatened = next ? (held.get(g.customerId) ?? []).filter((p) => next.products === null || next.products.includes(p)) : [];
      const suspendOn = next ? dueDates.map((due) => [addDays(due, next.days), addDays(g.rule.today, next.warning!.noticeDays)].sort()[1]).sort()[0] : null;
      return {
        due_on: dueDates[0],
        id: suspension ? randomUUID() : g.id,
        customer_id: g.customerId,
        kind: suspension ? 'suspension' : (g.rule.action as 'remind' | 'final_notice'),
        invoice_numbers: g.invoices.map((c) => c.number),
        amount_due: g.invoices.reduce((sum, c) => sum + Number(c.balance), 0),
        currency: account.currency,
        policy_version: g.rule.version,
        step: g.rule.step,
        locale: account.locale,
        ...(suspension ? { suspension_id: g.id, products: [...new Set(g.subscriptions.map((sub) => sub.product))] } : {}),
        // Nothing of the step's products held: its suspension would take nothing, so the notice threatens none.
        ...(next && threatened.length > 0 ? { suspend_on: suspendOn, products: threatened } : {}),
      };
    });
    if (rows.length > 0) {
      await insertNotices(manager, rows, at);
      await this.timeline.recordMany(
        manager,
        rows.map((n) => ({
          customerId: n.customer_id,
          type: 'notice_sent' as const,
          data: {
            noticeId: n.id,
            kind: n.kind,
            invoices: n.invoice_numbers,
            amountDue: formatAmount(n.amount_due, n.currency),
            currency: n.currency,
            policyVersion: n.policy_version,
            step: n.step,
            ...(n.suspension_id ? { suspensionId: n.suspension_id } : {}),
          },
        })),
        SYSTEM_ACTOR,
        at,
      );
      // `notices` counts reminders and final notices (a suspension is counted in `suspensions`).
      outcome.notices += rows.filter((n) => n.kind !== 'suspension').length;
    }
    await this.timeline.recordMany(
      manager,
      suspensions
        .filter((g) => g.subscriptions.length === 0)
        .map((g) => ({
          customerId: g.customerId,
          type: 'suspend_step_without_subscriptions' as const,
          data: { invoices: g.invoices.map((c) => c.number), policyVersion: g.rule.version, step: g.rule.step, products: g.rule.products ?? 'all' },
        })),
      SYSTEM_ACTOR,
      at,
    );
  }
}
