import { aRule, aTicket } from './rule-fixtures.spec-helper';
import { ruleMatches, ruleText, testsBillingStatus } from './rule-matcher';
import type { RuleConditions, RuleTicket } from './triage-rule';

const matches = (conditions: RuleConditions, ticket: RuleTicket = aTicket()): boolean =>
  ruleMatches(aRule('r', conditions), ticket);

describe('ruleMatches', () => {
  describe('a rule without conditions', () => {
    it('never matches', () => {
      expect(matches({})).toBe(false);
    });

    it('never matches when every list is empty (an empty list is no condition)', () => {
      expect(matches({ anyKeywords: [], allKeywords: [], category: [], requesterDomain: [] })).toBe(false);
    });

    it('ignores an empty list beside a real condition', () => {
      expect(matches({ category: [], channel: ['email'] })).toBe(true);
    });

    it('takes a null list in a stored rule as no condition', () => {
      const stored = { anyKeywords: null, severity: ['high'] } as unknown as RuleConditions;
      expect(matches(stored)).toBe(true);
      expect(matches({ anyKeywords: null, allKeywords: null } as unknown as RuleConditions)).toBe(false);
    });
  });

  describe('anyKeywords', () => {
    it('matches when at least one keyword is a whole word of subject or description', () => {
      expect(matches({ anyKeywords: ['refund', 'factura'] })).toBe(true);
      expect(matches({ anyKeywords: ['nothing', 'azure'] })).toBe(true);
    });

    it('does not match when no keyword occurs', () => {
      expect(matches({ anyKeywords: ['refund', 'teams'] })).toBe(false);
    });

    it('is case- and accent-insensitive but whole-word', () => {
      expect(matches({ anyKeywords: ['factura'] }, aTicket({ subject: 'FACTURA', description: '' }))).toBe(true);
      expect(matches({ anyKeywords: ['factura'] }, aTicket({ subject: 'Facturación', description: '' }))).toBe(false);
      expect(matches({ anyKeywords: ['facturación'] }, aTicket({ subject: 'Facturacion', description: '' }))).toBe(true);
      expect(matches({ anyKeywords: ['FACTURACION'] }, aTicket({ subject: 'facturación', description: '' }))).toBe(true);
    });

    it('matches phrases', () => {
      expect(matches({ anyKeywords: ['credit card'] })).toBe(true);
      expect(matches({ anyKeywords: ['card credit'] })).toBe(false);
    });

    it('does not join the last word of the subject and the first of the description', () => {
      expect(matches({ anyKeywords: ['marzo el'] }, aTicket({ subject: 'Factura de marzo', description: 'El pago' }))).toBe(false);
      expect(matches({ anyKeywords: ['marzoel'] }, aTicket({ subject: 'marzo', description: 'el' }))).toBe(false);
    });
  });

  describe('allKeywords', () => {
    it('matches when every keyword occurs, across subject and description', () => {
      expect(matches({ allKeywords: ['factura', 'pago', 'azure'] })).toBe(true);
    });

    it('does not match when one keyword is missing', () => {
      expect(matches({ allKeywords: ['factura', 'pago', 'refund'] })).toBe(false);
    });

    it('must hold together with anyKeywords', () => {
      expect(matches({ anyKeywords: ['pago'], allKeywords: ['factura', 'azure'] })).toBe(true);
      expect(matches({ anyKeywords: ['refund'], allKeywords: ['factura', 'azure'] })).toBe(false);
    });
  });

  describe.each([
    ['category', 'billing', 'technical'],
    ['product', 'azure', 'microsoft_365'],
    ['severity', 'high', 'low'],
    ['channel', 'email', 'portal'],
    ['customerId', 'customer-1', 'customer-2'],
  ] as const)('%s', (field, value, other) => {
    it('matches when the ticket value is in the list', () => {
      expect(matches({ [field]: [other, value] })).toBe(true);
    });

    it('does not match when it is not', () => {
      expect(matches({ [field]: [other] })).toBe(false);
    });

    it('compares exactly', () => {
      expect(matches({ [field]: [value.toUpperCase()] })).toBe(false);
    });
  });

  describe.each(['category', 'product', 'severity'] as const)('%s when the ticket has none', (field) => {
    it('never matches a condition on it', () => {
      expect(matches({ [field]: ['billing', 'azure', 'high', 'null', ''] }, aTicket({ [field]: null }))).toBe(false);
    });

    it('does not stop a rule without a condition on it', () => {
      expect(matches({ channel: ['email'] }, aTicket({ [field]: null }))).toBe(true);
    });
  });

  describe('requesterDomain', () => {
    const from = (requesterEmail: string, requesterDomain: string[]): boolean =>
      matches({ requesterDomain }, aTicket({ requesterEmail }));

    it('matches the domain after the @, case-insensitively', () => {
      expect(from('ana@contoso.com', ['contoso.com'])).toBe(true);
      expect(from('Ana.Lopez@Contoso.COM', ['contoso.com'])).toBe(true);
      expect(from('ana@contoso.com', ['CONTOSO.com'])).toBe(true);
    });

    it('matches subdomains at any depth', () => {
      expect(from('ana@eu.contoso.com', ['contoso.com'])).toBe(true);
      expect(from('ana@mail.eu.Contoso.com', ['contoso.com'])).toBe(true);
    });

    it('does not match a domain that only ends with the same letters', () => {
      expect(from('ana@notcontoso.com', ['contoso.com'])).toBe(false);
    });

    it('does not match a domain that merely starts with the rule domain', () => {
      expect(from('ana@contoso.com.evil.io', ['contoso.com'])).toBe(false);
    });

    it('does not match a parent of the rule domain', () => {
      expect(from('ana@contoso.com', ['eu.contoso.com'])).toBe(false);
    });

    it('matches any domain of the list', () => {
      expect(from('ana@fabrikam.es', ['contoso.com', 'fabrikam.es'])).toBe(true);
    });

    it('uses the part after the last @', () => {
      expect(from('"ana@contoso.com"@fabrikam.es', ['contoso.com'])).toBe(false);
      expect(from('"ana@contoso.com"@fabrikam.es', ['fabrikam.es'])).toBe(true);
    });

    it('never matches an address without a domain', () => {
      expect(from('contoso.com', ['contoso.com'])).toBe(false);
      expect(from('ana@', ['contoso.com'])).toBe(false);
      expect(from('', ['contoso.com'])).toBe(false);
    });

    it('ignores blank entries instead of matching everything', () => {
      expect(from('ana@contoso.com', [''])).toBe(false);
      expect(from('ana@contoso.com', ['  '])).toBe(false);
    });
  });

  describe('several conditions', () => {
    const conditions: RuleConditions = {
      anyKeywords: ['factura'],
      category: ['billing'],
      product: ['azure'],
      channel: ['email'],
      customerId: ['customer-1'],
      requesterDomain: ['contoso.com'],
      severity: ['high'],
    };

    it('match when all hold', () => {
      expect(matches(conditions)).toBe(true);
    });

    it.each([
      ['keywords', { subject: 'Hola', description: '' }],
      ['category', { category: 'technical' }],
      ['product', { product: null }],
      ['channel', { channel: 'phone' }],
      ['customerId', { customerId: 'customer-9' }],
      ['requesterDomain', { requesterEmail: 'ana@fabrikam.es' }],
      ['severity', { severity: 'low' }],
    ] as const)('fail when only %s does not hold', (_field, change) => {
      expect(matches(conditions, aTicket(change))).toBe(false);
    });
  });

  it('uses the normalised text it is given instead of reading the ticket again', () => {
    const ticket = aTicket({ subject: 'Factura', description: '' });
    expect(ruleMatches(aRule('r', { anyKeywords: ['refund'] }), ticket, ruleText(aTicket({ subject: 'refund' })))).toBe(true);
    expect(ruleMatches(aRule('r', { anyKeywords: ['factura'] }), ticket, ruleText(aTicket({ subject: 'refund' })))).toBe(false);
  });

  it('does not look at enabled (the engine skips disabled rules; a rule preview may not)', () => {
    expect(ruleMatches(aRule('r', { channel: ['email'] }, { enabled: false }), aTicket())).toBe(true);
  });
});

describe('billingStatus', () => {
  it('matches the listed states only; a customer without billing account (null) or not read matches none', () => {
    expect(matches({ billingStatus: ['overdue', 'suspended'] }, aTicket({ billingStatus: 'overdue' }))).toBe(true);
    expect(matches({ billingStatus: ['overdue', 'suspended'] }, aTicket({ billingStatus: 'current' }))).toBe(false);
    expect(matches({ billingStatus: ['current'] }, aTicket({ billingStatus: null }))).toBe(false);
    expect(matches({ billingStatus: ['current'] }, aTicket())).toBe(false);
    expect(matches({ billingStatus: ['overdue'], category: ['billing'] }, aTicket({ billingStatus: 'overdue', category: 'technical' }))).toBe(false);
  });

  it('is read only for rules that test it', () => {
    expect(testsBillingStatus([aRule('a', { category: ['billing'] }), aRule('b', { billingStatus: [] })])).toBe(false);
    expect(testsBillingStatus([aRule('a', { category: ['billing'] }), aRule('b', { billingStatus: ['overdue'] })])).toBe(true);
  });
});

describe('ruleText', () => {
  it('is the normalised subject and description, split by a field break', () => {
    expect(ruleText({ subject: 'Máquina VIRTUAL', description: 'Caída' })).toBe('maquina virtual\n¶\ncaida');
  });
});
