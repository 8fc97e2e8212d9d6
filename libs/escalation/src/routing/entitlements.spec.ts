import { ContractState, Entitlements, tierAvailability } from './entitlements';
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
      { tier: 'commercial', eligible: true, reason: 'commercial support needs no contract' },
      { tier: 'premier', eligible: false, reason: 'no active Premier contract' },
      { tier: 'advanced', eligible: false, reason: 'no active Advanced contract' },
      { tier: 'signature_cloud', eligible: false, reason: 'needs a Gold or Silver competency; the partner has none' },
    ]);
  });

  it('gives a partner with everything every tier, each grant explained', () => {
    const e = entitlements({ competency: 'gold', premier: ACTIVE, advanced: OPEN_ENDED });
    expect(tierAvailability(e, TODAY)).toEqual([
      { tier: 'commercial', eligible: true, reason: 'commercial support needs no contract' },
      { tier: 'premier', eligible: true, reason: 'active Premier contract, 12.5 hours left until 2027-01-31' },
      { tier: 'advanced', eligible: true, reason: 'active Advanced contract, 8 hours left, no end date' },
      { tier: 'signature_cloud', eligible: true, reason: 'Gold competency' },
    ]);
  });

  describe.each([
    ['premier', 'Premier', 1],
    ['advanced', 'Advanced', 2],
  ] as const)('the %s contract', (key, label, index) => {
    const availabilityWith = (contract: ContractState) => tierAvailability(entitlements({ [key]: contract }), TODAY)[index];

    it.each<[string, ContractState, boolean, string]>([
      ['active with hours', ACTIVE, true, `active ${label} contract, 12.5 hours left until 2027-01-31`],
      ['expiring today (the last day counts)', EXPIRES_TODAY, true, `active ${label} contract, 20 hours left until 2026-11-15`],
      ['open-ended', OPEN_ENDED, true, `active ${label} contract, 8 hours left, no end date`],
      ['with exactly one hour', { ...ACTIVE, hoursRemaining: 1 }, true, `active ${label} contract, 1 hour left until 2027-01-31`],
      ['with a sliver of an hour', { ...ACTIVE, hoursRemaining: 0.25 }, true, `active ${label} contract, 0.25 hours left until 2027-01-31`],
      ['expired yesterday', EXPIRED_YESTERDAY, false, `the ${label} contract expired on 2026-11-14`],
      ['with zero hours', EXHAUSTED, false, `the ${label} contract has no hours left`],
      ['with negative hours', { ...ACTIVE, hoursRemaining: -2 }, false, `the ${label} contract has no hours left`],
      ['with unknown hours (NaN)', { ...ACTIVE, hoursRemaining: Number.NaN }, false, `the ${label} contract has no hours left`],
      ['inactive', INACTIVE, false, `no active ${label} contract`],
      ['inactive, expired and empty (inactive wins)', { active: false, hoursRemaining: 0, expiresOn: '2020-01-01' }, false, `no active ${label} contract`],
      ['expired and empty (expiry wins)', { active: true, hoursRemaining: 0, expiresOn: '2026-11-14' }, false, `the ${label} contract expired on 2026-11-14`],
    ])('%s', (_case, contract, eligible, reason) => {
      expect(availabilityWith(contract)).toEqual({ tier: key, eligible, reason });
    });

    it('compares dates across month and year ends', () => {
      const e = entitlements({ [key]: { ...ACTIVE, expiresOn: '2026-12-31' } });
      expect(tierAvailability(e, '2026-12-31')[index].eligible).toBe(true);
      expect(tierAvailability(e, '2027-01-01')[index]).toEqual({
        tier: key,
        eligible: false,
        reason: `the ${label} contract expired on 2026-12-31`,
      });
    });

    it('refuses a malformed expiry date rather than comparing strings blindly', () => {
      const e = entitlements({ [key]: { ...ACTIVE, expiresOn: '2027-2-1' } });
      expect(() => tierAvailability(e, TODAY)).toThrow(
        new RangeError(`${label} contract expiresOn must be a calendar date written YYYY-MM-DD, got "2027-2-1"`),
      );
    });
  });

  it.each([
    ['gold', true, 'Gold competency'],
    ['silver', true, 'Silver competency'],
    ['none', false, 'needs a Gold or Silver competency; the partner has none'],
  ] as const)('signature_cloud with competency %s', (competency, eligible, reason) => {
    expect(tierAvailability(entitlements({ competency }), TODAY)[3]).toEqual({ tier: 'signature_cloud', eligible, reason });
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
