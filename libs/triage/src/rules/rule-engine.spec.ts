import { aRule, aTicket } from './rule-fixtures.spec-helper';
import { evaluateRules, orderedRules } from './rule-engine';
import type { RuleActions, TriageRuleSpec } from './triage-rule';

const billing = { category: ['billing'] };
const never = { channel: ['carrier-pigeon'] };

describe('evaluateRules', () => {
  it('returns an empty outcome when there are no rules', () => {
    expect(evaluateRules([], aTicket())).toStrictEqual({ matched: [], fields: { tags: [] }, stoppedBy: null });
  });

  it('returns an empty outcome when no rule matches', () => {
    const rules = [aRule('a', never, { actions: { queue: 'x', tags: ['t'] } })];
    expect(evaluateRules(rules, aTicket())).toStrictEqual({ matched: [], fields: { tags: [] }, stoppedBy: null });
  });

  it('applies every action of a single matching rule', () => {
    const rules = [
      aRule('a', billing, {
        name: 'Azure billing',
        position: 10,
        actions: {
          category: 'billing',
          product: 'azure',
          priority: 'P3',
          queue: 'commercial',
          tags: ['invoice', 'azure'],
          inScope: true,
          diagnosis: { summary: 'Invoice question', runbookUrl: 'https://runbooks.example/invoices' },
        },
      }),
    ];
    expect(evaluateRules(rules, aTicket())).toStrictEqual({
      matched: [
        {
          ruleId: 'a',
          name: 'Azure billing',
          position: 10,
          set: ['category', 'product', 'priority', 'queue', 'tags', 'inScope', 'diagnosis'],
        },
      ],
      fields: {
        category: 'billing',
        product: 'azure',
        priority: 'P3',
        queue: 'commercial',
        tags: ['invoice', 'azure'],
        inScope: true,
        diagnosis: { summary: 'Invoice question', runbookUrl: 'https://runbooks.example/invoices' },
      },
      stoppedBy: null,
    });
  });

  it('evaluates in ascending position whatever the array order, and the first writer of a field wins', () => {
    const rules = [
      aRule('late', billing, { position: 30, actions: { priority: 'P4', queue: 'late-queue', product: 'dynamics_365' } }),
      aRule('early', billing, { position: 10, actions: { priority: 'P1' } }),
      aRule('middle', billing, { position: 20, actions: { priority: 'P2', queue: 'middle-queue' } }),
    ];
    expect(evaluateRules(rules, aTicket())).toStrictEqual({
      matched: [
        { ruleId: 'early', name: 'rule early', position: 10, set: ['priority'] },
        { ruleId: 'middle', name: 'rule middle', position: 20, set: ['queue'] },
        { ruleId: 'late', name: 'rule late', position: 30, set: ['product'] },
      ],
      fields: { priority: 'P1', queue: 'middle-queue', product: 'dynamics_365', tags: [] },
      stoppedBy: null,
    });
  });

  it('orders rules with the same position by id', () => {
    const rules = [
      aRule('b', billing, { position: 5, actions: { queue: 'from-b' } }),
      aRule('a', billing, { position: 5, actions: { queue: 'from-a' } }),
      aRule('c', billing, { position: 4, actions: { queue: 'from-c' } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.matched.map((m) => m.ruleId)).toEqual(['c', 'a', 'b']);
    expect(outcome.fields.queue).toBe('from-c');
    expect(outcome.matched.map((m) => m.set)).toEqual([['queue'], [], []]);
  });

  it('keeps a false inScope set first against a later true', () => {
    const rules = [
      aRule('a', billing, { position: 1, actions: { inScope: false } }),
      aRule('b', billing, { position: 2, actions: { inScope: true } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.fields.inScope).toBe(false);
    expect(outcome.matched.map((m) => m.set)).toEqual([['inScope'], []]);
  });

  it('keeps the first diagnosis, as a copy of the rule’s', () => {
    const first = { summary: 'Known issue KB-1' };
    const rules = [
      aRule('a', billing, { position: 1, actions: { diagnosis: first } }),
      aRule('b', billing, { position: 2, actions: { diagnosis: { summary: 'Other', runbookUrl: 'https://x.example' } } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.fields.diagnosis).toStrictEqual({ summary: 'Known issue KB-1' });
    expect(outcome.fields.diagnosis).not.toBe(first);
    expect(outcome.matched.map((m) => m.set)).toEqual([['diagnosis'], []]);
  });

  it('accumulates tags from every matching rule, without duplicates, in order', () => {
    const rules = [
      aRule('a', billing, { position: 1, actions: { tags: ['vip', 'billing', 'vip'] } }),
      aRule('b', never, { position: 2, actions: { tags: ['never'] } }),
      aRule('c', billing, { position: 3, actions: { tags: ['billing', 'spanish'] } }),
      aRule('d', billing, { position: 4, actions: { tags: ['spanish', 'vip'] } }),
      aRule('e', billing, { position: 5, actions: { tags: [] } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.fields.tags).toEqual(['vip', 'billing', 'spanish']);
    expect(outcome.matched).toStrictEqual([
      { ruleId: 'a', name: 'rule a', position: 1, set: ['tags'] },
      { ruleId: 'c', name: 'rule c', position: 3, set: ['tags'] },
      { ruleId: 'd', name: 'rule d', position: 4, set: [] },
      { ruleId: 'e', name: 'rule e', position: 5, set: [] },
    ]);
  });

  it('takes a null action in a stored rule as no action, leaving the field to a later rule', () => {
    const stored = { category: null, tags: null, diagnosis: null, priority: 'P2' } as unknown as RuleActions;
    const rules = [
      aRule('a', billing, { position: 1, actions: stored }),
      aRule('b', billing, { position: 2, actions: { category: 'technical', tags: ['b'] } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.fields).toStrictEqual({ priority: 'P2', category: 'technical', tags: ['b'] });
    expect(outcome.matched.map((m) => m.set)).toEqual([['priority'], ['category', 'tags']]);
  });

  it('lists a matching rule whose actions set nothing new', () => {
    const outcome = evaluateRules([aRule('a', billing, { actions: {} })], aTicket());
    expect(outcome.matched).toStrictEqual([{ ruleId: 'a', name: 'rule a', position: 1, set: [] }]);
    expect(outcome.fields).toStrictEqual({ tags: [] });
  });

  it('stops at a matching stopOnMatch rule', () => {
    const rules = [
      aRule('a', billing, { position: 1, actions: { tags: ['a'] } }),
      aRule('stop', billing, { position: 2, stopOnMatch: true, actions: { queue: 'vip', tags: ['stop'] } }),
      aRule('after', billing, { position: 3, actions: { priority: 'P1', tags: ['after'] } }),
    ];
    expect(evaluateRules(rules, aTicket())).toStrictEqual({
      matched: [
        { ruleId: 'a', name: 'rule a', position: 1, set: ['tags'] },
        { ruleId: 'stop', name: 'rule stop', position: 2, set: ['queue', 'tags'] },
      ],
      fields: { queue: 'vip', tags: ['a', 'stop'] },
      stoppedBy: 'stop',
    });
  });

  it('does not stop at a stopOnMatch rule that does not match', () => {
    const rules = [
      aRule('stop', never, { position: 1, stopOnMatch: true, actions: { queue: 'never' } }),
      aRule('after', billing, { position: 2, actions: { queue: 'after' } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.stoppedBy).toBeNull();
    expect(outcome.fields.queue).toBe('after');
    expect(outcome.matched.map((m) => m.ruleId)).toEqual(['after']);
  });

  it('stops even when the stopping rule sets nothing new', () => {
    const rules = [
      aRule('a', billing, { position: 1, actions: { queue: 'first' } }),
      aRule('stop', billing, { position: 2, stopOnMatch: true, actions: { queue: 'second' } }),
      aRule('after', billing, { position: 3, actions: { priority: 'P1' } }),
    ];
    const outcome = evaluateRules(rules, aTicket());
    expect(outcome.stoppedBy).toBe('stop');
    expect(outcome.fields).toStrictEqual({ queue: 'first', tags: [] });
    expect(outcome.matched.map((m) => [m.ruleId, m.set])).toEqual([['a', ['queue']], ['stop', []]]);
  });

  it('skips disabled rules, including a disabled stopOnMatch rule', () => {
    const rules = [
      aRule('off', billing, { position: 1, enabled: false, stopOnMatch: true, actions: { priority: 'P1', tags: ['off'] } }),
      aRule('on', billing, { position: 2, actions: { priority: 'P3', tags: ['on'] } }),
    ];
    expect(evaluateRules(rules, aTicket())).toStrictEqual({
      matched: [{ ruleId: 'on', name: 'rule on', position: 2, set: ['priority', 'tags'] }],
      fields: { priority: 'P3', tags: ['on'] },
      stoppedBy: null,
    });
  });

  it('skips rules without conditions', () => {
    const rules = [aRule('empty', {}, { position: 1, actions: { queue: 'catch-all' } })];
    expect(evaluateRules(rules, aTicket()).matched).toEqual([]);
  });

  it('matches keyword rules against subject and description', () => {
    const rules = [
      aRule('es', { anyKeywords: ['facturación'] }, { position: 1, actions: { tags: ['es-billing'] } }),
      aRule('exact', { anyKeywords: ['factura'] }, { position: 2, actions: { tags: ['factura'] } }),
      aRule('outage', { allKeywords: ['no funciona', 'teams'] }, { position: 3, actions: { priority: 'P2' } }),
    ];
    const outcome = evaluateRules(rules, aTicket({ subject: 'FACTURACION', description: 'Teams no funciona' }));
    expect(outcome.matched.map((m) => m.ruleId)).toEqual(['es', 'outage']);
    expect(outcome.fields).toStrictEqual({ tags: ['es-billing'], priority: 'P2' });
  });

  it('does not modify the rules or the ticket', () => {
    const rules = [
      aRule('b', billing, { position: 2, actions: { tags: ['x'], diagnosis: { summary: 's' } } }),
      aRule('a', billing, { position: 1, actions: { tags: ['y'] } }),
    ];
    const ticket = aTicket();
    const rulesBefore = structuredClone(rules);
    const ticketBefore = structuredClone(ticket);
    const outcome = evaluateRules(rules, ticket);
    outcome.fields.tags.push('mutated');
    expect(rules).toStrictEqual(rulesBefore);
    expect(ticket).toStrictEqual(ticketBefore);
  });

  it('evaluates 50 rules over 500 two-kilobyte tickets, each ticket matching the rules its words name', () => {
    const rules: TriageRuleSpec[] = Array.from({ length: 50 }, (_, i) =>
      aRule(`r${i}`, i % 2 === 0 ? { anyKeywords: [`word${i}`, 'no funciona', 'facturación'] } : { allKeywords: ['teams', `w${i}`], channel: ['email'] }, {
        position: i,
        actions: { tags: [`t${i}`] },
      }),
    );
    const description = 'Teams no funciona para la facturación de marzo. '.repeat(40);
    const tickets = Array.from({ length: 500 }, (_, i) => aTicket({ subject: `Ticket ${i} word${i % 50}`, description }));
    const tags = tickets.map((ticket) => evaluateRules(rules, ticket).fields.tags);
    // Every even rule matches ('no funciona' / 'facturación' are in every description); odd rules need 'w<i>', absent.
    expect(new Set(tags.map((t) => t.join(',')))).toEqual(new Set([Array.from({ length: 25 }, (_, i) => `t${i * 2}`).join(',')]));
  });
});

describe('orderedRules', () => {
  it('keeps enabled rules by position then id, without sorting the input', () => {
    const rules = [
      aRule('b', billing, { position: 2 }),
      aRule('z', billing, { position: 1, enabled: false }),
      aRule('a', billing, { position: 2 }),
      aRule('c', billing, { position: -1 }),
    ];
    expect(orderedRules(rules).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(rules.map((r) => r.id)).toEqual(['b', 'z', 'a', 'c']);
  });
});
