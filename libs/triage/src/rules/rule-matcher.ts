import { containsWord, normalizeFields } from '../classification/text-normalizer';
import type { RuleConditions, RuleTicket, TriageRuleSpec } from './triage-rule';

/** The text keyword conditions are matched against: subject and description, normalised (once per ticket). */
export function ruleText(ticket: Pick<RuleTicket, 'subject' | 'description'>): string {
  return normalizeFields(ticket.subject, ticket.description);
}

// Array.isArray: a rule stored before the API refused null may hold `"anyKeywords": null` (no condition).
const present = (list: readonly string[] | null | undefined): list is readonly string[] =>
  Array.isArray(list) && list.length > 0;

const oneOf = (list: readonly string[], value: string | null): boolean =>
  value !== null && list.includes(value);

/** The part after the last '@', lower-cased; null when there is none. */
function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  const domain = at < 0 ? '' : email.slice(at + 1).trim().toLowerCase();
  return domain === '' ? null : domain;
}

function inDomain(domain: string, ruleDomain: string): boolean {
  const wanted = ruleDomain.trim().toLowerCase();
  return wanted !== '' && (domain === wanted || domain.endsWith(`.${wanted}`));
}

/** Whether any of the rules tests the customer's billing status (which costs a read of billing). */
export function testsBillingStatus(rules: readonly TriageRuleSpec[]): boolean {
  return rules.some((rule) => present(rule.conditions.billingStatus));
}

function hasConditions(conditions: RuleConditions): boolean {
  return Object.values(conditions).some((list) => Array.isArray(list) && list.length > 0);
}

/**
 * Whether every condition present on the rule holds for the ticket. `enabled` is not considered
 * here (that is the engine's job). Pass `normalizedText` (from `ruleText`) to normalise once for
 * many rules.
 */
export function ruleMatches(rule: TriageRuleSpec, ticket: RuleTicket, normalizedText?: string): boolean {
  const c = rule.conditions;
  if (!hasConditions(c)) return false;
  if (present(c.category) && !oneOf(c.category, ticket.category)) return false;
  if (present(c.product) && !oneOf(c.product, ticket.product)) return false;
  if (present(c.channel) && !oneOf(c.channel, ticket.channel)) return false;
  if (present(c.severity) && !oneOf(c.severity, ticket.severity)) return false;
  if (present(c.customerId) && !oneOf(c.customerId, ticket.customerId)) return false;
  if (present(c.billingStatus) && !oneOf(c.billingStatus, ticket.billingStatus ?? null)) return false;
  if (present(c.requesterDomain)) {
    const domain = emailDomain(ticket.requesterEmail);
    if (domain === null || !c.requesterDomain.some((wanted) => inDomain(domain, wanted))) return false;
  }
  if (present(c.anyKeywords) || present(c.allKeywords)) {
    const text = normalizedText ?? ruleText(ticket);
    if (present(c.anyKeywords) && !c.anyKeywords.some((keyword) => containsWord(text, keyword))) return false;
    if (present(c.allKeywords) && !c.allKeywords.every((keyword) => containsWord(text, keyword))) return false;
  }
  return true;
}
