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

/** Whether one tier may receive a case, and why (or why not) in words an agent can read. */
export interface TierAvailability {
  tier: EscalationTier;
  eligible: boolean;
  reason: string;
}

/**
 * The availability of every tier, in the fixed order commercial, premier, advanced,
 * signature_cloud. `today` is the current date in the partner's timezone (YYYY-MM-DD).
 */
export function tierAvailability(e: Entitlements, today: string): TierAvailability[] {
  assertCalendarDate(today, 'today');
  return [
    { tier: EscalationTier.Commercial, eligible: true, reason: 'commercial support needs no contract' },
    contractAvailability(EscalationTier.Premier, 'Premier', e.premier, today),
    contractAvailability(EscalationTier.Advanced, 'Advanced', e.advanced, today),
    competencyAvailability(e.competency),
  ];
}

function contractAvailability(
  tier: EscalationTier,
  label: string,
  contract: ContractState,
  today: string,
): TierAvailability {
  if (contract.expiresOn !== null) assertCalendarDate(contract.expiresOn, `${label} contract expiresOn`);
  const refuse = (reason: string): TierAvailability => ({ tier, eligible: false, reason });

  if (!contract.active) return refuse(`no active ${label} contract`);
  if (contract.expiresOn !== null && today > contract.expiresOn) {
    return refuse(`the ${label} contract expired on ${contract.expiresOn}`);
  }
  // `> 0` is false for NaN too: a contract with unknown hours is not usable.
  if (!(contract.hoursRemaining > 0)) return refuse(`the ${label} contract has no hours left`);

  const hours = formatHours(contract.hoursRemaining);
  const until = contract.expiresOn === null ? ', no end date' : ` until ${contract.expiresOn}`;
  return { tier, eligible: true, reason: `active ${label} contract, ${hours} left${until}` };
}

function competencyAvailability(competency: Entitlements['competency']): TierAvailability {
  const tier = EscalationTier.SignatureCloud;
  switch (competency) {
    case 'gold':
      return { tier, eligible: true, reason: 'Gold competency' };
    case 'silver':
      return { tier, eligible: true, reason: 'Silver competency' };
    default:
      return { tier, eligible: false, reason: 'needs a Gold or Silver competency; the partner has none' };
  }
}

function formatHours(hours: number): string {
  const rounded = Math.round(hours * 100) / 100;
  return `${rounded} ${rounded === 1 ? 'hour' : 'hours'}`;
}
