import { ContractState, Entitlements, TierWhy } from './entitlements';
import { Priority, RoutingError, TicketCategory, routeEscalation } from './route-escalation';
import { EscalationTier } from './tiers';

const TODAY = '2026-11-15';

const ACTIVE: ContractState = { active: true, hoursRemaining: 12.5, expiresOn: '2027-01-31' };
const INACTIVE: ContractState = { active: false, hoursRemaining: 40, expiresOn: '2027-01-31' };
const EXHAUSTED: ContractState = { active: true, hoursRemaining: 0, expiresOn: '2027-01-31' };
const EXPIRED_YESTERDAY: ContractState = { active: true, hoursRemaining: 20, expiresOn: '2026-11-14' };
const EXPIRES_TODAY: ContractState = { active: true, hoursRemaining: 20, expiresOn: '2026-11-15' };

function entitlements(overrides: Partial<Entitlements> = {}): Entitlements {
  return { competency: 'none', premier: INACTIVE, advanced: INACTIVE, ...overrides };
}

const NOTHING = entitlements();
const EVERYTHING = entitlements({ competency: 'gold', premier: ACTIVE, advanced: ACTIVE });

const { Commercial, Premier, Advanced, SignatureCloud } = EscalationTier;
const URGENT: Priority[] = ['P1', 'P2'];
const ROUTINE: Priority[] = ['P3', 'P4'];
const ALL_PRIORITIES: Priority[] = [...URGENT, ...ROUTINE];

const REASON = {
  commercial: 'commercial support needs no contract',
  premierActive: 'active Premier contract, 12.5 hours left until 2027-01-31',
  advancedActive: 'active Advanced contract, 12.5 hours left until 2027-01-31',
  gold: 'Gold competency',
  noPremier: 'no active Premier contract',
  noAdvanced: 'no active Advanced contract',
  noCompetency: 'needs a Gold or Silver competency; the partner has none',
  premierEmpty: 'the Premier contract has no hours left',
};

/** Each reason as a considered tier carries it: the English text and its code. */
const GIVEN: Record<'commercial' | 'premierActive' | 'advancedActive' | 'gold' | 'premierEmpty', { reason: string; why: TierWhy }> = {
  commercial: { reason: REASON.commercial, why: { code: 'commercial_no_contract', params: {} } },
  premierActive: { reason: REASON.premierActive, why: { code: 'contract_active', params: { contract: 'premier', hoursRemaining: 12.5, expiresOn: '2027-01-31' } } },
  advancedActive: { reason: REASON.advancedActive, why: { code: 'contract_active', params: { contract: 'advanced', hoursRemaining: 12.5, expiresOn: '2027-01-31' } } },
  gold: { reason: REASON.gold, why: { code: 'competency', params: { competency: 'gold' } } },
  premierEmpty: { reason: REASON.premierEmpty, why: { code: 'contract_no_hours', params: { contract: 'premier' } } },
};

/** Runs routeEscalation and returns the RoutingError it must throw. */
function routingError(input: Parameters<typeof routeEscalation>[0]): RoutingError {
  try {
    routeEscalation(input);
  } catch (error) {
    if (error instanceof RoutingError) return error;
    throw error;
  }
  throw new Error('routeEscalation did not throw');
}

describe('routeEscalation', () => {
  describe('commercial matters', () => {
    const cases: Array<[TicketCategory, Priority, string, Entitlements]> = [];
    for (const category of ['billing', 'subscription_management'] as const) {
      for (const priority of ALL_PRIORITIES) {
        cases.push([category, priority, 'no entitlements', NOTHING]);
        cases.push([category, priority, 'every entitlement', EVERYTHING]);
      }
    }

    it.each(cases)('%s %s with %s goes to commercial', (category, priority, _profile, e) => {
      expect(routeEscalation({ category, priority, entitlements: e, today: TODAY })).toEqual({
        considered: [{ tier: Commercial, eligible: true, ...GIVEN.commercial }],
        chosen: Commercial,
      });
    });

    it.each(['billing', 'subscription_management'] as const)('%s may name commercial explicitly', (category) => {
      expect(routeEscalation({ category, priority: 'P2', requestedTier: Commercial, entitlements: NOTHING, today: TODAY }).chosen).toBe(
        Commercial,
      );
    });

    it.each([
      ['billing', Premier],
      ['billing', Advanced],
      ['subscription_management', SignatureCloud],
    ] as const)('a %s case cannot be sent to the %s tier, even when the partner holds it', (category, requestedTier) => {
      const error = routingError({ category, priority: 'P1', requestedTier, entitlements: EVERYTHING, today: TODAY });
      expect(error.kind).toBe('tier_not_applicable');
      expect(error.message).toBe(
        `A ${category} case goes to commercial support; the ${requestedTier} tier takes technical cases only`,
      );
      expect(error.decision).toEqual({
        considered: [{ tier: Commercial, eligible: true, ...GIVEN.commercial }],
        chosen: null,
      });
    });
  });

  describe('technical matters: the chosen tier per priority and entitlements', () => {
    // [what the partner holds, entitlements, chosen for P1/P2, chosen for P3/P4]
    const profiles: Array<[string, Entitlements, EscalationTier, EscalationTier]> = [
      ['everything', EVERYTHING, Premier, SignatureCloud],
      ['premier + advanced + silver', entitlements({ competency: 'silver', premier: ACTIVE, advanced: ACTIVE }), Premier, SignatureCloud],
      ['premier exhausted, advanced, gold', entitlements({ competency: 'gold', premier: EXHAUSTED, advanced: ACTIVE }), Advanced, SignatureCloud],
      ['premier exhausted, advanced, no competency', entitlements({ premier: EXHAUSTED, advanced: ACTIVE }), Advanced, Advanced],
      ['only gold', entitlements({ competency: 'gold' }), SignatureCloud, SignatureCloud],
      ['only silver', entitlements({ competency: 'silver' }), SignatureCloud, SignatureCloud],
      ['premier + advanced, no competency', entitlements({ premier: ACTIVE, advanced: ACTIVE }), Premier, Advanced],
      ['premier only, no competency', entitlements({ premier: ACTIVE }), Premier, Premier],
      ['premier, advanced exhausted, no competency', entitlements({ premier: ACTIVE, advanced: EXHAUSTED }), Premier, Premier],
      ['premier, advanced expired yesterday, no competency', entitlements({ premier: ACTIVE, advanced: EXPIRED_YESTERDAY }), Premier, Premier],
      ['premier, advanced expiring today, no competency', entitlements({ premier: ACTIVE, advanced: EXPIRES_TODAY }), Premier, Advanced],
      ['premier expired yesterday, advanced', entitlements({ premier: EXPIRED_YESTERDAY, advanced: ACTIVE }), Advanced, Advanced],
      ['premier expiring today only', entitlements({ premier: EXPIRES_TODAY }), Premier, Premier],
      ['premier inactive, advanced, gold', entitlements({ competency: 'gold', advanced: ACTIVE }), Advanced, SignatureCloud],
      ['advanced only', entitlements({ advanced: ACTIVE }), Advanced, Advanced],
    ];

    const cases: Array<[Priority, string, Entitlements, EscalationTier]> = profiles.flatMap(([profile, e, urgent, routine]) => [
      ...URGENT.map((p): [Priority, string, Entitlements, EscalationTier] => [p, profile, e, urgent]),
      ...ROUTINE.map((p): [Priority, string, Entitlements, EscalationTier] => [p, profile, e, routine]),
    ]);

    it.each(cases)('%s with %s -> %s', (priority, _profile, e, chosen) => {
      expect(routeEscalation({ category: 'technical', priority, entitlements: e, today: TODAY }).chosen).toBe(chosen);
    });
  });

  describe('technical matters: what was considered', () => {
    it.each(URGENT)('%s considers paid hours first: premier, advanced, signature_cloud', (priority) => {
      expect(routeEscalation({ category: 'technical', priority, entitlements: EVERYTHING, today: TODAY })).toEqual({
        considered: [
          { tier: Premier, eligible: true, ...GIVEN.premierActive },
          { tier: Advanced, eligible: true, ...GIVEN.advancedActive },
          { tier: SignatureCloud, eligible: true, ...GIVEN.gold },
        ],
        chosen: Premier,
      });
    });

    it.each(ROUTINE)('%s considers included support first: signature_cloud, advanced, premier', (priority) => {
      expect(routeEscalation({ category: 'technical', priority, entitlements: EVERYTHING, today: TODAY })).toEqual({
        considered: [
          { tier: SignatureCloud, eligible: true, ...GIVEN.gold },
          { tier: Advanced, eligible: true, ...GIVEN.advancedActive },
          { tier: Premier, eligible: true, ...GIVEN.premierActive },
        ],
        chosen: SignatureCloud,
      });
    });

    it('P1 with premier exhausted records why premier was passed over', () => {
      const e = entitlements({ competency: 'gold', premier: EXHAUSTED, advanced: ACTIVE });
      expect(routeEscalation({ category: 'technical', priority: 'P1', entitlements: e, today: TODAY })).toEqual({
        considered: [
          { tier: Premier, eligible: false, ...GIVEN.premierEmpty },
          { tier: Advanced, eligible: true, ...GIVEN.advancedActive },
          { tier: SignatureCloud, eligible: true, ...GIVEN.gold },
        ],
        chosen: Advanced,
      });
    });

    it('the expiry day itself still counts, the day after does not', () => {
      const e = entitlements({ premier: { ...ACTIVE, expiresOn: TODAY } });
      expect(routeEscalation({ category: 'technical', priority: 'P1', entitlements: e, today: TODAY }).chosen).toBe(Premier);
      const error = routingError({ category: 'technical', priority: 'P1', entitlements: e, today: '2026-11-16' });
      expect(error.kind).toBe('no_eligible_tier');
      expect(error.decision.considered[0]).toEqual({
        tier: Premier,
        eligible: false,
        reason: 'the Premier contract expired on 2026-11-15',
        why: { code: 'contract_expired', params: { contract: 'premier', expiresOn: '2026-11-15' } },
      });
    });
  });

  describe('technical matters: an explicitly requested tier', () => {
    it.each<[Priority, EscalationTier]>([
      ['P1', SignatureCloud],
      ['P1', Advanced],
      ['P4', Premier],
      ['P3', Advanced],
    ])('%s asking for eligible %s gets it even when it is not the first preference', (priority, requestedTier) => {
      const decision = routeEscalation({ category: 'technical', priority, requestedTier, entitlements: EVERYTHING, today: TODAY });
      expect(decision.chosen).toBe(requestedTier);
      expect(decision.considered.map((c) => c.tier)).toEqual(
        URGENT.includes(priority) ? [Premier, Advanced, SignatureCloud] : [SignatureCloud, Advanced, Premier],
      );
    });

    it.each<[EscalationTier, Entitlements, string, TierWhy]>([
      [Premier, entitlements({ competency: 'gold', premier: EXHAUSTED, advanced: ACTIVE }), 'the Premier contract has no hours left', { code: 'contract_no_hours', params: { contract: 'premier' } }],
      [Premier, entitlements({ competency: 'gold', premier: EXPIRED_YESTERDAY }), 'the Premier contract expired on 2026-11-14', { code: 'contract_expired', params: { contract: 'premier', expiresOn: '2026-11-14' } }],
      [Advanced, entitlements({ competency: 'gold', premier: ACTIVE }), 'no active Advanced contract', { code: 'contract_inactive', params: { contract: 'advanced' } }],
      [SignatureCloud, entitlements({ premier: ACTIVE, advanced: ACTIVE }), 'needs a Gold or Silver competency; the partner has none', { code: 'competency_missing', params: {} }],
    ])('asking for %s when it is not eligible is refused, not re-routed', (requestedTier, e, reason, why) => {
      const error = routingError({ category: 'technical', priority: 'P2', requestedTier, entitlements: e, today: TODAY });
      expect(error).toBeInstanceOf(RoutingError);
      expect(error.name).toBe('RoutingError');
      expect(error.kind).toBe('tier_not_eligible');
      expect(error.message).toBe(`The ${requestedTier} tier cannot take this case: ${reason}`);
      expect(error.decision.chosen).toBeNull();
      expect(error.decision.considered.find((c) => c.tier === requestedTier)).toEqual({ tier: requestedTier, eligible: false, reason, why });
    });

    it.each(ALL_PRIORITIES)('%s asking for commercial on a technical case is not applicable', (priority) => {
      const error = routingError({ category: 'technical', priority, requestedTier: Commercial, entitlements: EVERYTHING, today: TODAY });
      expect(error.kind).toBe('tier_not_applicable');
      expect(error.message).toBe(
        'The commercial tier does not take technical cases; use one of premier, advanced, signature_cloud',
      );
      expect(error.decision.chosen).toBeNull();
      expect(error.decision.considered).toHaveLength(3);
    });
  });

  describe('technical matters: no eligible tier', () => {
    it.each<[Priority, string]>([
      ['P1', `premier: ${REASON.noPremier}; advanced: ${REASON.noAdvanced}; signature_cloud: ${REASON.noCompetency}`],
      ['P2', `premier: ${REASON.noPremier}; advanced: ${REASON.noAdvanced}; signature_cloud: ${REASON.noCompetency}`],
      ['P3', `signature_cloud: ${REASON.noCompetency}; advanced: ${REASON.noAdvanced}; premier: ${REASON.noPremier}`],
      ['P4', `signature_cloud: ${REASON.noCompetency}; advanced: ${REASON.noAdvanced}; premier: ${REASON.noPremier}`],
    ])('%s with nothing lists why each tier is out', (priority, why) => {
      const error = routingError({ category: 'technical', priority, entitlements: NOTHING, today: TODAY });
      expect(error.kind).toBe('no_eligible_tier');
      expect(error.message).toBe(`No vendor tier can take this technical case: ${why}`);
      expect(error.decision.chosen).toBeNull();
      expect(error.decision.considered.every((c) => !c.eligible)).toBe(true);
    });

    it('gives each distinct reason when contracts fail in different ways', () => {
      const e = entitlements({ premier: EXHAUSTED, advanced: EXPIRED_YESTERDAY });
      const error = routingError({ category: 'technical', priority: 'P1', entitlements: e, today: TODAY });
      expect(error.message).toBe(
        'No vendor tier can take this technical case: ' +
          'premier: the Premier contract has no hours left; ' +
          'advanced: the Advanced contract expired on 2026-11-14; ' +
          'signature_cloud: needs a Gold or Silver competency; the partner has none',
      );
    });
  });

  describe('bad input', () => {
    it('rejects an unknown category instead of treating it as commercial', () => {
      const input = { category: 'sales' as TicketCategory, priority: 'P1' as Priority, entitlements: EVERYTHING, today: TODAY };
      expect(() => routeEscalation(input)).toThrow(new RangeError('Unknown ticket category "sales"'));
    });

    it('rejects an unknown priority on a technical case', () => {
      const input = { category: 'technical' as TicketCategory, priority: 'P0' as Priority, entitlements: EVERYTHING, today: TODAY };
      expect(() => routeEscalation(input)).toThrow(new RangeError('Unknown priority "P0"'));
    });

    it('rejects a malformed date', () => {
      expect(() => routeEscalation({ category: 'billing', priority: 'P1', entitlements: NOTHING, today: '15.11.2026' })).toThrow(RangeError);
    });
  });
});
