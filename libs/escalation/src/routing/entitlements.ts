import { assertCalendarDate } from './calendar-date';
import { EscalationTier } from './tiers';

/** A paid support contract (Premier or Advanced), as the partner holds it today. */
export interface ContractState {
  active: boolean;
  hoursRemaining: number;
  /** YYYY-MM-DD, the last day the contract can be used (inclusive); null when open-ended. */
  expiresOn: string | null;
}

/** What the partner holds today. */
export interface Entitlements {
  competency: 'gold' | 'silver' | 'none';
  premier: ContractState;
  advanced: ContractState;
}

/**
 * Why a tier is in or out, for a screen to say in its reader's language: a code and the values
 * its sentence needs (`reason` says the same in English).
 */
export type TierWhy =
  | { code: 'commercial_no_contract'; params: Record<string, never> }
  | { code: 'contract_inactive' | 'contract_no_hours'; params: { contract: 'premier' | 'advanced' } }
  | { code: 'contract_expired'; params: { contract: 'premier' | 'advanced'; expiresOn: string } }
  | { code: 'contract_active'; params: { contract: 'premier' | 'advanced'; hoursRemaining: number; expiresOn: string | null } }
  | { code: 'competency'; params: { competency: 'gold' | 'silver' } }
  | { code: 'competency_missing'; params: Record<string, never> };

export type TierWhyCode = TierWhy['code'];

/** Every code, for the API's schema. */
export const TIER_WHY_CODES: readonly TierWhyCode[] = Object.freeze([
  'commercial_no_contract',
  'contract_inactive',
  'contract_expired',
  'contract_no_hours',
  'contract_active',
  'competency',
  'competency_missing',
] as const);

/** Whether one tier may receive a case, and why (or why not): in words an agent can read, and as a code. */
export interface TierAvailability {
  tier: EscalationTier;
  eligible: boolean;
  reason: string;
  why: TierWhy;
}

/**
 * The availability of every tier, in the fixed order commercial, premier, advanced,
 * signature_cloud. `today` is the current date in the partner's timezone (YYYY-MM-DD).
 */
export function tierAvailability(e: Entitlements, today: string): TierAvailability[] {
  assertCalendarDate(today, 'today');
  return [
    { tier: EscalationTier.Commercial, eligible: true, reason: 'commercial support needs no contract', why: { code: 'commercial_no_contract', params: {} } },
    contractAvailability(EscalationTier.Premier, 'premier', 'Premier', e.premier, today),
    contractAvailability(EscalationTier.Advanced, 'advanced', 'Advanced', e.advanced, today),
    competencyAvailability(e.competency),
  ];
}

function contractAvailability(
  tier: EscalationTier,
  kind: 'premier' | 'advanced',
  label: string,
  contract: ContractState,
  today: string,
): TierAvailability {
  if (contract.expiresOn !== null) assertCalendarDate(contract.expiresOn, `${label} contract expiresOn`);
  const refuse = (reason: string, why: TierWhy): TierAvailability => ({ tier, eligible: false, reason, why });

  if (!contract.active) return refuse(`no active ${label} contract`, { code: 'contract_inactive', params: { contract: kind } });
  if (contract.expiresOn !== null && today > contract.expiresOn) {
    return refuse(`the ${label} contract expired on ${contract.expiresOn}`, { code: 'contract_expired', params: { contract: kind, expiresOn: contract.expiresOn } });
  }
  // `> 0` is false for NaN too: a contract with unknown hours is not usable.
  if (!(contract.hoursRemaining > 0)) return refuse(`the ${label} contract has no hours left`, { code: 'contract_no_hours', params: { contract: kind } });

  const hoursRemaining = roundHours(contract.hoursRemaining);
  const until = contract.expiresOn === null ? ', no end date' : ` until ${contract.expiresOn}`;
  return {
    tier,
    eligible: true,
    reason: `active ${label} contract, ${hoursRemaining} ${hoursRemaining === 1 ? 'hour' : 'hours'} left${until}`,
    why: { code: 'contract_active', params: { contract: kind, hoursRemaining, expiresOn: contract.expiresOn } },
  };
}

function competencyAvailability(competency: Entitlements['competency']): TierAvailability {
  const tier = EscalationTier.SignatureCloud;
  switch (competency) {
    case 'gold':
      return { tier, eligible: true, reason: 'Gold competency', why: { code: 'competency', params: { competency } } };
    case 'silver':
      return { tier, eligible: true, reason: 'Silver competency', why: { code: 'competency', params: { competency } } };
    default:
      return { tier, eligible: false, reason: 'needs a Gold or Silver competency; the partner has none', why: { code: 'competency_missing', params: {} } };
  }
}

function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}
