/** A vendor support tier a case can be escalated to. The values are stored and never renamed. */
export enum EscalationTier {
  Commercial = 'commercial',
  Premier = 'premier',
  Advanced = 'advanced',
  SignatureCloud = 'signature_cloud',
}

/** Every tier, in the fixed order used wherever tiers are listed. */
export const ALL_TIERS: readonly EscalationTier[] = Object.freeze([
  EscalationTier.Commercial,
  EscalationTier.Premier,
  EscalationTier.Advanced,
  EscalationTier.SignatureCloud,
]);

/** The tiers that take technical cases (commercial support takes billing and subscriptions only). */
export const TECHNICAL_TIERS: readonly EscalationTier[] = Object.freeze([
  EscalationTier.Premier,
  EscalationTier.Advanced,
  EscalationTier.SignatureCloud,
]);
