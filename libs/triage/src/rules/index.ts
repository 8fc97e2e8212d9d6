export * from './triage-rule';
export { evaluateRules, orderedRules, ruleMatches } from './rule-engine';
export { ruleText } from './rule-matcher';
