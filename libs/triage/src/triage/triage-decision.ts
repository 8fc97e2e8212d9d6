import type { Priority, TicketCategory, TicketProduct } from '@helpdesk/intake';
import { classify } from '../classification';
import type { Classification } from '../classification';
import type { KnownIssueMatch } from '../known-issues/known-issues.service';
import { evaluateRules } from '../rules/rule-engine';
import type { RuleMatch, RuleTicket, TriageRuleSpec } from '../rules/triage-rule';

export const DEFAULT_QUEUES: Record<TicketCategory, string> = {
  billing: 'billing',
  subscription_management: 'subscriptions',
  technical: 'technical',
};

export interface Diagnosis {
  suggestions: Array<{ knownIssueId: string; title: string; score: number }>;
  inScope: boolean | null;
  summary: string | null;
  runbookUrl: string | null;
}

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
  reasons: { category: string; product: string; priority: string; queue: string };
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

  const pick = <T>(own: T | null, fromRules: T | undefined, fromClassifier: T, name: string, classifierReason: string): [T, string] =>
    own !== null ? [own, `given on the ticket`] : fromRules !== undefined ? [fromRules, `set by rule ${ruleFor(outcome.matched, name)}`] : [fromClassifier, `classifier: ${classifierReason}`];

  const [category, categoryReason] = pick<TicketCategory>(ticket.category as TicketCategory | null, fields.category as TicketCategory | undefined, classification.category, 'category', classification.categoryReason);
  const [product, productReason] = pick<TicketProduct>(ticket.product as TicketProduct | null, fields.product as TicketProduct | undefined, classification.product, 'product', classification.productReason);
  const priority = (ticket.severity ?? fields.priority ?? fallbackPriority) as Priority;
  const priorityReason = ticket.severity
    ? "the customer's severity"
    : fields.priority
      ? `set by rule ${ruleFor(outcome.matched, 'priority')}`
      : fallbackPriority === 'P3' ? 'default P3' : `kept ${fallbackPriority}`;
  const queue = fields.queue ?? DEFAULT_QUEUES[category];
  const queueReason = fields.queue ? `set by rule ${ruleFor(outcome.matched, 'queue')}` : `default queue for ${category}`;

  const knownIssues = await findKnownIssues({ category, product });
  const best = knownIssues[0];
  const inScope = fields.inScope ?? best?.inScope ?? null;
  const diagnosis: Diagnosis = {
    suggestions: knownIssues.map((k) => ({ knownIssueId: k.knownIssueId, title: k.title, score: k.score })),
    inScope,
    summary: fields.diagnosis?.summary ?? (best ? `Known issue "${best.title}": ${best.resolution}` : null),
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
  };
}

function ruleFor(matched: RuleMatch[], field: string): string {
  const rule = matched.find((m) => (m.set as string[]).includes(field));
  return rule ? `"${rule.name}"` : '(unknown)';
}
