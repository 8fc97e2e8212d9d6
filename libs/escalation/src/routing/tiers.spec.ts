import { ALL_TIERS, EscalationTier, TECHNICAL_TIERS } from './tiers';

describe('escalation tiers', () => {
  it('keeps the stored values', () => {
    expect(Object.values(EscalationTier)).toEqual(['commercial', 'premier', 'advanced', 'signature_cloud']);
  });

  it('lists every tier in the fixed order', () => {
    expect(ALL_TIERS).toEqual(['commercial', 'premier', 'advanced', 'signature_cloud']);
  });

  it('lists the technical tiers without commercial', () => {
    expect(TECHNICAL_TIERS).toEqual(['premier', 'advanced', 'signature_cloud']);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(ALL_TIERS)).toBe(true);
    expect(Object.isFrozen(TECHNICAL_TIERS)).toBe(true);
  });
});
