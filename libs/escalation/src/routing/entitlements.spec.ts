import { ContractState, Entitlements, tierAvailability, TierWhy } from './entitlements';
import { EscalationTier } from './tiers';

/** The date every routing test runs on. */
const TODAY = '2026-11-15';

const ACTIVE: ContractState = { active: true, hoursRemaining: 12.5, expiresOn: '2027-01-31' };
const INACTIVE: ContractState = { active: false, hoursRemaining: 40, expiresOn: '2027-01-31' };
const EXHAUSTED: ContractState = { active: true, hoursRemaining: 0, expiresOn: '2027-01-31' };
const EXPIRED_YESTERDAY: ContractState = { active: true, hoursRemaining: 20, expiresOn: '2026-11-14' };
const EXPIRES_TODAY: ContractState = { active: true, hoursRemaining: 20, expiresOn: '2026-11-15' };
const OPEN_ENDED: ContractState = { active: true, hoursRemaining: 8, expiresOn: null };

function entitlements(overrides: Partial<Entitlements> = {}): Entitlements {
  return { competency: 'none', premier: INACTIVE, advanced: INACTIVE, ...overrides };
}

describe('tierAvailability', () => {
  it('lists all four tiers in the fixed order', () => {
    expect(tierAvailability(entitlements(), TODAY).map((a) => a.tier)).toEqual([
      EscalationTier.Commercial,
      EscalationTier.Premier,
      EscalationTier.Advanced,
      EscalationTier.SignatureCloud,
    ]);
  });

  it('gives a partner with nothing only commercial support, each refusal explained', () => {
    expect(tierAvailability(entitlements(), TODAY)).toEqual([
      { tier: 'commercial', eligible: true, reason: 'commercial support needs no contract', why: { code: 'commercial_no_contract', params: {} } },
      { tier: 'premier', eligible: false, reason: 'no active Premier contract', why: { code: 'contract_inactive', params: { contract: 'premier' } } },
      { tier: 'advanced', eligible: false, reason: 'no active Advanced contract', why: { code: 'contract_inactive', params: { contract: 'advanced' } } },
      { tier: 'signature_cloud', eligible: false, reason: 'needs a Gold or Silver competency; the partner has none', why: { code: 'competency_missing', params: {} } },
    ]);
  });

  it('gives a partner with everything every tier, each grant explained', () => {
    const e = entitlements({ competency: 'gold', premier: ACTIVE, advanced: OPEN_ENDED });
    expect(tierAvailability(e, TODAY)).toEqual([
      { tier: 'commercial', eligible: true, reason: 'commercial support needs no contract', why: { code: 'commercial_no_contract', params: {} } },
      {
        tier: 'premier',
        eligible: true,
        reason: 'active Premier contract, 12.5 hours left until 2027-01-31',
        why: { code: 'contract_active', params: { contract: 'premier', hoursRemaining: 12.5, expiresOn: '2027-01-31' } },
      },
      {
        tier: 'advanced',
        eligible: true,
        reason: 'active Advanced contract, 8 hours left, no end date',
        why: { code: 'contract_active', params: { contract: 'advanced', hoursRemaining: 8, expiresOn: null } },
      },
      { tier: 'signature_cloud', eligible: true, reason: 'Gold competency', why: { code: 'competency', params: { competency: 'gold' } } },
    ]);
  });

  describe.each([
    ['premier', 'Premier', 1],
    ['advanced', 'Advanced', 2],
  ] as const)('the %s contract', (key, label, index) => {
    const availabilityWith = (contract: ContractState) => tierAvailability(entitlements({ [key]: contract }), TODAY)[index];

    it.each<[string, ContractState, boolean, string, TierWhy]>([
      ['active with hours', ACTIVE, true, `active ${label} contract, 12.5 hours left until 2027-01-31`, { code: 'contract_active', params: { contract: key, hoursRemaining: 12.5, expiresOn: '2027-01-31' } }],
      ['expiring today (the last day counts)', EXPIRES_TODAY, true, `active ${label} contract, 20 hours left until 2026-11-15`, { code: 'contract_active', params: { contract: key, hoursRemaining: 20, expiresOn: '2026-11-15' } }],
      ['open-ended', OPEN_ENDED, true, `active ${label} contract, 8 hours left, no end date`, { code: 'contract_active', params: { contract: key, hoursRemaining: 8, expiresOn: null } }],
      ['with exactly one hour', { ...ACTIVE, hoursRemaining: 1 }, true, `active ${label} contract, 1 hour left until 2027-01-31`, { code: 'contract_active', params: { contract: key, hoursRemaining: 1, expiresOn: '2027-01-31' } }],
      ['with a sliver of an hour', { ...ACTIVE, hoursRemaining: 0.254 }, true, `active ${label} contract, 0.25 hours left until 2027-01-31`, { code: 'contract_active', params: { contract: key, hoursRemaining: 0.25, expiresOn: '2027-01-31' } }],
      ['expired yesterday', EXPIRED_YESTERDAY, false, `the ${label} contract expired on 2026-11-14`, { code: 'contract_expired', params: { contract: key, expiresOn: '2026-11-14' } }],
      ['with zero hours', EXHAUSTED, false, `the ${label} contract has no hours left`, { code: 'contract_no_hours', params: { contract: key } }],
      ['with negative hours', { ...ACTIVE, hoursRemaining: -2 }, false, `the ${label} contract has no hours left`, { code: 'contract_no_hours', params: { contract: key } }],
      ['with unknown hours (NaN)', { ...ACTIVE, hoursRemaining: Number.NaN }, false, `the ${label} contract has no hours left`, { code: 'contract_no_hours', params: { contract: key } }],
      ['inactive', INACTIVE, false, `no active ${label} contract`, { code: 'contract_inactive', params: { contract: key } }],
      ['inactive, expired and empty (inactive wins)', { active: false, hoursRemaining: 0, expiresOn: '2020-01-01' }, false, `no active ${label} contract`, { code: 'contract_inactive', params: { contract: key } }],
      ['expired and empty (expiry wins)', { active: true, hoursRemaining: 0, expiresOn: '2026-11-14' }, false, `the ${label} contract expired on 2026-11-14`, { code: 'contract_expired', params: { contract: key, expiresOn: '2026-11-14' } }],
    ])('%s', (_case, contract, eligible, reason, why) => {
      expect(availabilityWith(contract)).toEqual({ tier: key, eligible, reason, why });
    });

    it('compares dates across month and year ends', () => {
      const e = entitlements({ [key]: { ...ACTIVE, expiresOn: '2026-12-31' } });
      expect(tierAvailability(e, '2026-12-31')[index].eligible).toBe(true);
      expect(tierAvailability(e, '2027-01-01')[index]).toEqual({
        tier: key,
        eligible: false,
        reason: `the ${label} contract expired on 2026-12-31`,
        why: { code: 'contract_expired', params: { contract: key, expiresOn: '2026-12-31' } },
      });
    });

    it('refuses a malformed expiry date rather than comparing strings blindly', () => {
      const e = entitlements({ [key]: { ...ACTIVE, expiresOn: '2027-2-1' } });
      expect(() => tierAvailability(e, TODAY)).toThrow(
        new RangeError(`${label} contract expiresOn must be a calendar date written YYYY-MM-DD, got "2027-2-1"`),
      );
    });
  });

  it.each<[Entitlements['competency'], boolean, string, TierWhy]>([
    ['gold', true, 'Gold competency', { code: 'competency', params: { competency: 'gold' } }],
    ['silver', true, 'Silver competency', { code: 'competency', params: { competency: 'silver' } }],
    ['none', false, 'needs a Gold or Silver competency; the partner has none', { code: 'competency_missing', params: {} }],
  ])('signature_cloud with competency %s', (competency, eligible, reason, why) => {
    expect(tierAvailability(entitlements({ competency }), TODAY)[3]).toEqual({ tier: 'signature_cloud', eligible, reason, why });
  });

  it.each(['2026-11-5', '15/11/2026', '2026-02-30', '2026-13-01', '', '2026-11-15T00:00:00Z'])(
    'refuses the malformed date today=%j',
    (today) => {
      expect(() => tierAvailability(entitlements(), today)).toThrow(
        new RangeError(`today must be a calendar date written YYYY-MM-DD, got "${today}"`),
      );
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(() => tierAvailability(entitlements(), '2028-02-29')).not.toThrow();
  });
});
