import type { KnownIssueMatch } from '../known-issues/known-issues.service';
import type { RuleTicket, TriageRuleSpec } from '../rules/triage-rule';
import { decide } from './triage-decision';

const ticket = (overrides: Partial<RuleTicket> = {}): RuleTicket => ({
  subject: 'Outlook caído',
  description: 'Nadie puede entrar en Outlook',
  category: null,
  product: null,
  channel: 'email',
  customerId: 'c1',
  requesterEmail: 'marta@contoso.example',
  severity: null,
  ...overrides,
});

const rule = (name: string, actions: TriageRuleSpec['actions']): TriageRuleSpec => ({ id: `r-${name}`, name, position: 1, enabled: true, stopOnMatch: false, conditions: { anyKeywords: ['outlook'] }, actions });

const issue: KnownIssueMatch = { knownIssueId: 'k1', title: 'Outlook sign-in loop', score: 0.5, inScope: true, resolution: 'Clear the cached credentials.', runbookUrl: null };
const issues = (found: KnownIssueMatch[]) => () => Promise.resolve(found);

describe('decide: the reasons as codes, next to the English words', () => {
  it('gives the classifier’s, the rule’s and the default’s codes, and the known issue behind the summary', async () => {
    const decision = await decide(ticket(), [rule('Outlook a M365', { queue: 'm365' })], issues([issue]));
    expect(decision.reasons).toEqual({
      category: 'classifier: no billing or subscription words',
      product: 'classifier: matched "outlook"',
      priority: 'default P3',
      queue: 'set by rule "Outlook a M365"',
    });
    expect(decision.why).toEqual({
      category: { code: 'classifier', params: { classifier: { code: 'no_category_words', params: {} } } },
      product: { code: 'classifier', params: { classifier: { code: 'matched', params: { words: ['outlook'] } } } },
      priority: { code: 'default_priority', params: { priority: 'P3' } },
      queue: { code: 'rule', params: { rule: 'Outlook a M365' } },
    });
    expect(decision.diagnosis.summary).toBe('Known issue "Outlook sign-in loop": Clear the cached credentials.');
    expect(decision.diagnosis.summaryWhy).toEqual({ code: 'known_issue', params: { knownIssueId: 'k1', title: 'Outlook sign-in loop', resolution: 'Clear the cached credentials.' } });
    expect(decision.prioritySuggestion?.why).toEqual({ code: 'outage_everyone', params: { words: ['caído'], everyone: ['nadie puede'] } });
  });

  it('says what the ticket gave, the customer’s severity, a kept priority and a default queue', async () => {
    const given = await decide(ticket({ category: 'billing', product: 'azure', severity: 'P2' }), [], issues([]));
    expect(given.why).toEqual({
      category: { code: 'given', params: {} },
      product: { code: 'given', params: {} },
      priority: { code: 'customer_severity', params: {} },
      queue: { code: 'default_queue', params: { category: 'billing' } },
    });
    expect(given.prioritySuggestion).toBeNull();
    const kept = await decide(ticket(), [], issues([]), 'P1');
    expect([kept.reasons.priority, kept.why.priority]).toEqual(['kept P1', { code: 'kept_priority', params: { priority: 'P1' } }]);
  });

  it('keeps a rule’s own summary as its words, with no code, and has none without a summary', async () => {
    const ruled = await decide(ticket(), [rule('Outlook', { diagnosis: { summary: 'Revisar la caché de credenciales' } })], issues([issue]));
    expect(ruled.diagnosis.summary).toBe('Revisar la caché de credenciales');
    expect(ruled.diagnosis).not.toHaveProperty('summaryWhy');
    const none = await decide(ticket(), [], issues([]));
    expect([none.diagnosis.summary, none.diagnosis.summaryWhy]).toEqual([null, undefined]);
  });
});
