import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@helpdesk/audit';
import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { TicketRow } from '@helpdesk/intake';
import { RuleBillingStatus } from './rule-billing-status';
import { evaluateRules } from './rule-engine';
import { RuleActions, RuleConditions, RuleTicket, TriageRuleSpec } from './triage-rule';
import { TriageRule } from './triage-rule.entity';

export interface TriageRuleInput {
  name: string;
  position: number;
  enabled: boolean;
  stopOnMatch: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface TriageRuleView extends TriageRuleInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

const toView = (r: TriageRule): TriageRuleView => ({
  id: r.id,
  name: r.name,
  position: r.position,
  enabled: r.enabled,
  stopOnMatch: r.stopOnMatch,
  conditions: r.conditions,
  actions: r.actions,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const toSpec = (r: TriageRule): TriageRuleSpec => ({
  id: r.id,
  name: r.name,
  position: r.position,
  enabled: r.enabled,
  stopOnMatch: r.stopOnMatch,
  conditions: r.conditions,
  actions: r.actions,
});

export function ruleTicketFromRow(
  t: Pick<TicketRow, 'subject' | 'description' | 'category' | 'product' | 'channel' | 'customer_id' | 'requester_email' | 'severity'>,
  billingStatus: string | null = null,
): RuleTicket {
  return {
    billingStatus,
    subject: t.subject,
    description: t.description,
    category: t.category,
    product: t.product,
    channel: t.channel,
    customerId: t.customer_id,
    requesterEmail: t.requester_email,
    severity: t.severity,
  };
}

const CONDITION_KEYS: ReadonlyArray<keyof RuleConditions> = ['anyKeywords', 'allKeywords', 'category', 'product', 'channel', 'customerId', 'requesterDomain', 'severity', 'billingStatus'];
const ACTION_KEYS: ReadonlyArray<keyof RuleActions> = ['category', 'product', 'priority', 'queue', 'tags', 'inScope', 'diagnosis'];

/** A rule must say when it applies and what it does. */
function assertMeaningful(rule: Pick<TriageRuleInput, 'conditions' | 'actions'>): void {
  if (!CONDITION_KEYS.some((k) => (rule.conditions[k]?.length ?? 0) > 0)) {
    throw DomainError.invalid('conditions', 'a rule needs at least one non-empty condition', FieldErrorCode.NoCondition);
  }
  if (!ACTION_KEYS.some((k) => rule.actions[k] !== undefined && !(Array.isArray(rule.actions[k]) && (rule.actions[k] as unknown[]).length === 0))) {
    throw DomainError.invalid('actions', 'a rule needs at least one action', FieldErrorCode.NoAction);
  }
}

/** The version of the rules as a whole: bumped by a trigger in the transaction of any change to them. */
export const RULES_VERSION_SQL = `SELECT version::text FROM triage_config_versions WHERE name = 'triage_rules'`;

/** Triage rules: CRUD, dry runs and impact previews. */
@Injectable()
export class TriageRulesService {
  /** The enabled rules of the last version asked for (a change to any rule bumps the version). */
  private cached?: { version: string; specs: Promise<TriageRuleSpec[]> };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly billing: RuleBillingStatus,
  ) {}

  async create(input: TriageRuleInput): Promise<TriageRuleView> {
    assertMeaningful(input);
    return this.dataSource.transaction(async (manager) => {
      const view = toView(await manager.save(manager.create(TriageRule, { ...input, name: input.name.trim() })));
      await this.audit.record(manager, { entity: 'triage_rule', entityId: view.id, action: 'created', before: null, after: view });
      return view;
    });
  }

  async update(id: string, patch: Partial<TriageRuleInput>): Promise<TriageRuleView> {
    return this.dataSource.transaction(async (manager) => {
      const rule = await manager.findOne(TriageRule, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw DomainError.notFound('Triage rule', id);
      const before = toView(rule);
      const merged = { ...rule, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as TriageRule;
      assertMeaningful(merged);
      const after = toView(await manager.save(TriageRule, merged));
      await this.audit.record(manager, { entity: 'triage_rule', entityId: id, action: 'updated', before, after });
      return after;
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rule = await manager.findOne(TriageRule, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw DomainError.notFound('Triage rule', id);
      await manager.delete(TriageRule, { id });
      await this.audit.record(manager, { entity: 'triage_rule', entityId: id, action: 'deleted', before: toView(rule), after: null });
    });
  }

  async get(id: string): Promise<TriageRuleView> {
    return toView(await this.entity(id));
  }

  private async entity(id: string): Promise<TriageRule> {
    const rule = await this.dataSource.getRepository(TriageRule).findOne({ where: { id } });
    if (!rule) throw DomainError.notFound('Triage rule', id);
    return rule;
  }

  async list(): Promise<TriageRuleView[]> {
    const rules = await this.dataSource.getRepository(TriageRule).find({ order: { position: 'ASC', id: 'ASC' } });
    return rules.map(toView);
  }

  /** The enabled rules in run order. */
  async enabledSpecs(manager: EntityManager = this.dataSource.manager): Promise<TriageRuleSpec[]> {
    const rules = await manager.find(TriageRule, { where: { enabled: true }, order: { position: 'ASC', id: 'ASC' } });
    return rules.map(toSpec);
  }

  /** The current version of the rules (`RULES_VERSION_SQL`; triage reads it with the ticket instead). */
  async version(): Promise<string> {
    const [row]: Array<{ version: string }> = await this.dataSource.query(RULES_VERSION_SQL);
    return row.version;
  }

  /**
   * The enabled rules as of `version` or later (the version is read in the same round trip as the
   * ticket): loaded once per version and shared by the triages running at the same time. They are
   * loaded after the version was read, so never older than it; a rule change commits a new version,
   * and every ticket read after that commit loads the rules again.
   */
  enabledSpecsAt(version: string): Promise<TriageRuleSpec[]> {
    if (!this.cached || BigInt(this.cached.version) < BigInt(version)) {
      const specs = this.enabledSpecs();
      const entry = { version, specs };
      this.cached = entry;
      specs.catch(() => {
        if (this.cached === entry) this.cached = undefined;
      });
    }
    return this.cached!.specs;
  }

  /**
   * How many of the last N tickets this rule would have matched when they came in, and what it would
   * change of them now; writes nothing. Conditions see the category and product the ticket arrived
   * with (its `created` event), as triage does — not those triage or an agent chose later — and a
   * rule never changes a category, product or priority the customer gave (as in triage-decision.ts).
   */
  async impact(id: string, last: number) {
    const rule = toSpec(await this.entity(id));
    const rows: Array<TicketRow & { intake: { category: string | null; product: string | null } | null }> = await this.dataSource.query(
      `SELECT t.*, (SELECT jsonb_build_object('category', e.data->'category', 'product', e.data->'product')
                      FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'created' ORDER BY e.seq LIMIT 1) AS intake
         FROM tickets t ORDER BY t.number DESC LIMIT $1`,
      [last],
    );
    // A billingStatus condition sees each customer's billing status now (it is not kept per ticket).
    const billing = await this.billing.states([rule], rows.map((r) => r.customer_id));
    const wouldChange: Record<string, number> = {};
    const sample: string[] = [];
    let matched = 0;
    for (const row of rows) {
      // Evaluated as if enabled: the preview is for rules not yet switched on too.
      // Every ticket has its created event; should one be missing, it is taken as it is now.
      const arrived = { category: row.intake ? row.intake.category : row.category, product: row.intake ? row.intake.product : row.product };
      const { matched: hits, fields } = evaluateRules([{ ...rule, enabled: true }], ruleTicketFromRow({ ...row, ...arrived } as TicketRow, billing.get(row.customer_id) ?? null));
      if (hits.length === 0) continue;
      matched++;
      if (sample.length < 20) sample.push(row.id);
      const current: Record<string, unknown> = {
        category: row.category,
        product: row.product,
        priority: row.priority,
        queue: row.queue,
        inScope: row.in_scope ?? null,
      };
      // What the customer gave decides whatever the rules say (triage-decision.ts).
      if (row.severity !== null) delete current.priority;
      if (arrived.category !== null) delete current.category;
      if (arrived.product !== null) delete current.product;
      for (const key of ['category', 'product', 'priority', 'queue', 'inScope'] as const) {
        if (fields[key] !== undefined && key in current && fields[key] !== current[key]) wouldChange[key] = (wouldChange[key] ?? 0) + 1;
      }
      if (fields.tags.some((t) => !row.tags.includes(t))) wouldChange.tags = (wouldChange.tags ?? 0) + 1;
      if (fields.diagnosis) wouldChange.diagnosis = (wouldChange.diagnosis ?? 0) + 1;
    }
    return { ruleId: id, enabled: rule.enabled, considered: rows.length, matched, wouldChange, sampleTicketIds: sample };
  }
}
