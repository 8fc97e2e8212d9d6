import type { RuleConditions, RuleTicket, TriageRuleSpec } from './triage-rule';

/** Test data builders for the rule specs (kept out of the spec files so both can share them). */

export const aTicket = (overrides: Partial<RuleTicket> = {}): RuleTicket => ({
  subject: 'Factura de marzo',
  description: 'El pago con Credit Card no aparece en el portal de Azure.',
  category: 'billing',
  product: 'azure',
  channel: 'email',
  customerId: 'customer-1',
  requesterEmail: 'Ana.Lopez@Contoso.com',
  severity: 'high',
  ...overrides,
});

export const aRule = (
  id: string,
  conditions: RuleConditions,
  overrides: Partial<Omit<TriageRuleSpec, 'id' | 'conditions'>> = {},
): TriageRuleSpec => ({
  id,
  name: `rule ${id}`,
  position: 1,
  enabled: true,
  stopOnMatch: false,
  conditions,
  actions: {},
  ...overrides,
});
