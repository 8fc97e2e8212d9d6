import { ruleMatches, ruleText } from './rule-matcher';
import type { RuleActions, RuleField, RuleOutcome, RuleOutcomeFields, RuleTicket, TriageRuleSpec } from './triage-rule';

export { ruleMatches } from './rule-matcher';

/** Enabled rules in evaluation order: ascending position, ties by id. Does not mutate the input. */
export function orderedRules(rules: readonly TriageRuleSpec[]): TriageRuleSpec[] {
  return rules
    .filter((rule) => rule.enabled)
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

type SingleField = Exclude<RuleField, 'tags'>;

/**
 * Applies one matching rule's actions: a field an earlier rule set is kept (first writer wins),
 * tags accumulate without duplicates. Returns the fields this rule set, in `RuleField` order.
 */
function applyActions(actions: RuleActions, fields: RuleOutcomeFields): RuleField[] {
  const set: RuleField[] = [];
  const claim = <K extends SingleField>(field: K, value: RuleOutcomeFields[K] | null | undefined): void => {
    // null (in a rule stored before the API refused it) sets nothing, like a field left out.
    if (value === undefined || value === null || fields[field] !== undefined) return;
    fields[field] = value;
    set.push(field);
  };
  claim('category', actions.category);
  claim('product', actions.product);
  claim('priority', actions.priority);
  claim('queue', actions.queue);
  const tagsBefore = fields.tags.length;
  for (const tag of actions.tags ?? []) if (!fields.tags.includes(tag)) fields.tags.push(tag);
  if (fields.tags.length > tagsBefore) set.push('tags');
  claim('inScope', actions.inScope);
  claim('diagnosis', actions.diagnosis && { ...actions.diagnosis });
  return set;
}

/**
 * Runs the enabled rules over a ticket in order and merges the actions of those that match.
 * A matching rule with `stopOnMatch` ends the run. Pure: the inputs are not modified.
 */
export function evaluateRules(rules: readonly TriageRuleSpec[], ticket: RuleTicket): RuleOutcome {
  const text = ruleText(ticket);
  const outcome: RuleOutcome = { matched: [], fields: { tags: [] }, stoppedBy: null };
  for (const rule of orderedRules(rules)) {
    if (!ruleMatches(rule, ticket, text)) continue;
    const set = applyActions(rule.actions, outcome.fields);
    outcome.matched.push({ ruleId: rule.id, name: rule.name, position: rule.position, set });
    if (rule.stopOnMatch) {
      outcome.stoppedBy = rule.id;
      break;
    }
  }
  return outcome;
}
