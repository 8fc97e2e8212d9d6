/**
 * Triage rules as the rule engine sees them: plain data, no persistence or framework types.
 *
 * Conditions: every condition present must hold; an absent or empty list is no condition.
 * A rule with no conditions never matches.
 */

export interface RuleConditions {
  /** At least one keyword (word or phrase) occurs as whole words in subject + description. */
  anyKeywords?: string[];
  /** Every keyword occurs as whole words in subject + description. */
  allKeywords?: string[];
  category?: string[];
  product?: string[];
  channel?: string[];
  customerId?: string[];
  /** The requester's e-mail domain equals one of these or is a subdomain of one (case-insensitive). */
  requesterDomain?: string[];
  severity?: string[];
  /** The customer's billing status (billing's BillingStatusService): `current`, `overdue`, `suspended`. */
  billingStatus?: string[];
}

/** What a billingStatus condition can name (billing's BillingState). */
export const RULE_BILLING_STATUSES = ['current', 'overdue', 'suspended'] as const;

export type RulePriority = 'P1' | 'P2' | 'P3' | 'P4';

export interface RuleDiagnosis {
  summary: string;
  runbookUrl?: string;
}

export interface RuleActions {
  category?: string;
  product?: string;
  priority?: RulePriority;
  queue?: string;
  tags?: string[];
  inScope?: boolean;
  diagnosis?: RuleDiagnosis;
}

export interface TriageRuleSpec {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  stopOnMatch: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface RuleTicket {
  subject: string;
  description: string;
  category: string | null;
  product: string | null;
  channel: string;
  customerId: string;
  requesterEmail: string;
  severity: string | null;
  /** The customer's billing status, read only when an enabled rule tests it (null: no billing account, or not read). */
  billingStatus?: string | null;
}

/** A field a rule can set, in the order `RuleMatch.set` lists them. */
export type RuleField = 'category' | 'product' | 'priority' | 'queue' | 'tags' | 'inScope' | 'diagnosis';

export interface RuleMatch {
  ruleId: string;
  name: string;
  position: number;
  /** The fields this rule set: those no earlier rule had set; `tags` if it added a new tag. */
  set: RuleField[];
}

export interface RuleOutcomeFields {
  category?: string;
  product?: string;
  priority?: string;
  queue?: string;
  tags: string[];
  inScope?: boolean;
  diagnosis?: RuleDiagnosis;
}

export interface RuleOutcome {
  matched: RuleMatch[];
  fields: RuleOutcomeFields;
  /** The id of the stopOnMatch rule that ended the run, or null when every rule was considered. */
  stoppedBy: string | null;
}
