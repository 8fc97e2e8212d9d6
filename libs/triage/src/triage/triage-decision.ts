import type { Priority, TicketCategory, TicketProduct } from '@helpdesk/intake';
import { classify } from '../classification';
import type { Classification, ClassifierWhy, PrioritySuggestionWhy } from '../classification';
import type { KnownIssueMatch } from '../known-issues/known-issues.service';
import { evaluateRules } from '../rules/rule-engine';
import type { RuleMatch, RuleTicket, TriageRuleSpec } from '../rules/triage-rule';

export const DEFAULT_QUEUES: Record<TicketCategory, string> = {
  billing: 'billing',
  subscription_management: 'subscriptions',
  technical: 'technical',
};

/**
 * Where the diagnosis' summary comes from, for a screen to say in its reader's language: a known
 * issue's title and resolution (the summary says "Known issue …" in English). Absent when a rule
 * wrote the summary (its own words) or there is none.
 */
export interface DiagnosisSummaryWhy {
  code: 'known_issue';
  params: { knownIssueId: string; title: string; resolution: string };
}

export interface Diagnosis {
  suggestions: Array<{ knownIssueId: string; title: string; score: number }>;
  inScope: boolean | null;
  summary: string | null;
  summaryWhy?: DiagnosisSummaryWhy;
  runbookUrl: string | null;
}

/**
 * Why triage gave a field its value, for a screen to say in its reader's language: a code and the
 * values its sentence needs (`reasons` says the same in English). `classifier` carries the
 * classifier's own code (see ClassifierWhy).
 */
export type TriageWhy =
  | { code: 'given' | 'customer_severity'; params: Record<string, never> }
  | { code: 'rule'; params: { rule: string | null } }
  | { code: 'classifier'; params: { classifier: ClassifierWhy } }
  | { code: 'default_priority' | 'kept_priority'; params: { priority: Priority } }
  | { code: 'default_queue'; params: { category: TicketCategory } };

export type TriageWhyCode = TriageWhy['code'];

/** Every code, for the API's schema. */
export const TRIAGE_WHY_CODES: readonly TriageWhyCode[] = Object.freeze(['given', 'customer_severity', 'rule', 'classifier', 'default_priority', 'kept_priority', 'default_queue'] as const);

/** Every code of the classifier and of its priority suggestion, for the API's schema. */
export const CLASSIFIER_WHY_CODES: readonly ClassifierWhy['code'][] = Object.freeze(['no_category_words', 'no_product_words', 'matched', 'matched_over'] as const);
export const PRIORITY_SUGGESTION_WHY_CODES: readonly PrioritySuggestionWhy['code'][] = Object.freeze(['outage', 'outage_everyone'] as const);

type TriageFields = 'category' | 'product' | 'priority' | 'queue';

export interface TriageDecision {
  category: TicketCategory;
  product: TicketProduct;
  priority: Priority;
  queue: string;
  tags: string[];
  inScope: boolean | null;
  diagnosis: Diagnosis;
  prioritySuggestion: Classification['prioritySuggestion'];
  matchedRules: RuleMatch[];
  stoppedBy: string | null;
  /** In English. */
  reasons: Record<TriageFields, string>;
  why: Record<TriageFields, TriageWhy>;
}

/**
 * What triage makes of a ticket. Precedence per field: what the ticket already says (the
 * customer's or an agent's choice), then the rules in order, then the built-in classifier;
 * priority: the customer's severity, else rules, else P3 (an outage wording is recorded as a
 * suggestion, never applied by itself).
 */
/** Finds the known issues for the text, once category and product are decided. */
export type KnownIssueLookup = (filter: { category: TicketCategory; product: TicketProduct }) => Promise<KnownIssueMatch[]>;

export async function decide(
  ticket: RuleTicket,
  rules: TriageRuleSpec[],
  findKnownIssues: KnownIssueLookup,
  fallbackPriority: Priority = 'P3',
): Promise<TriageDecision> {
  const outcome = evaluateRules(rules, ticket);
  const classification = classify({ subject: ticket.subject, description: ticket.description });
  const fields = outcome.fields;

  type Picked<T> = [T, string, TriageWhy];
  const fromRule = (name: string): [string, TriageWhy] => {
    const rule = ruleFor(outcome.matched, name);
    return [`set by rule ${rule === null ? '(unknown)' : `"${rule}"`}`, { code: 'rule', params: { rule } }];
  };
  const pick = <T>(own: T | null, fromRules: T | undefined, fromClassifier: T, name: string, classifierReason: string, classifierWhy: ClassifierWhy): Picked<T> =>
    own !== null
      ? [own, `given on the ticket`, { code: 'given', params: {} }]
      : fromRules !== undefined
        ? [fromRules, ...fromRule(name)]
        : [fromClassifier, `classifier: ${classifierReason}`, { code: 'classifier', params: { classifier: classifierWhy } }];

  const [category, categoryReason, categoryWhy] = pick<TicketCategory>(ticket.category as TicketCategory | null, fields.category as TicketCategory | undefined, classification.category, 'category', classification.categoryReason, classification.categoryWhy);
  const [product, productReason, productWhy] = pick<TicketProduct>(ticket.product as TicketProduct | null, fields.product as TicketProduct | undefined, classification.product, 'product', classification.productReason, classification.productWhy);
  const priority = (ticket.severity ?? fields.priority ?? fallbackPriority) as Priority;
  const [priorityReason, priorityWhy]: [string, TriageWhy] = ticket.severity
    ? ["the customer's severity", { code: 'customer_severity', params: {} }]
    : fields.priority
      ? fromRule('priority')
      : fallbackPriority === 'P3'
        ? ['default P3', { code: 'default_priority', params: { priority: 'P3' } }]
        : [`kept ${fallbackPriority}`, { code: 'kept_priority', params: { priority: fallbackPriority } }];
  const queue = fields.queue ?? DEFAULT_QUEUES[category];
  const [queueReason, queueWhy]: [string, TriageWhy] = fields.queue ? fromRule('queue') : [`default queue for ${category}`, { code: 'default_queue', params: { category } }];

  const knownIssues = await findKnownIssues({ category, product });
  const best = knownIssues[0];
  const inScope = fields.inScope ?? best?.inScope ?? null;
  const diagnosis: Diagnosis = {
    suggestions: knownIssues.map((k) => ({ knownIssueId: k.knownIssueId, title: k.title, score: k.score })),
    inScope,
    summary: fields.diagnosis?.summary ?? (best ? `Known issue "${best.title}": ${best.resolution}` : null),
    ...((fields.diagnosis?.summary ?? null) === null && best ? { summaryWhy: { code: 'known_issue', params: { knownIssueId: best.knownIssueId, title: best.title, resolution: best.resolution } } } : {}),
    runbookUrl: fields.diagnosis?.runbookUrl ?? best?.runbookUrl ?? null,
  };
  return {
    category,
    product,
    priority,
    queue,
    tags: fields.tags,
    inScope,
    diagnosis,
    prioritySuggestion: ticket.severity ? null : classification.prioritySuggestion,
    matchedRules: outcome.matched,
    stoppedBy: outcome.stoppedBy,
    reasons: { category: categoryReason, product: productReason, priority: priorityReason, queue: queueReason },
    why: { category: categoryWhy, product: productWhy, priority: priorityWhy, queue: queueWhy },
  };
}

/** The name of the rule that set the field (null: none found). */
function ruleFor(matched: RuleMatch[], field: string): string | null {
  return matched.find((m) => (m.set as string[]).includes(field))?.name ?? null;
}
