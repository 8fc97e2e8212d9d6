import { Entitlements, TierAvailability, tierAvailability } from './entitlements';
import { EscalationTier, TECHNICAL_TIERS } from './tiers';

export type TicketCategory = 'billing' | 'subscription_management' | 'technical';
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';

/** The tiers looked at, in the order they were considered, and the one that takes the case. */
export interface RoutingDecision {
  considered: TierAvailability[];
  chosen: EscalationTier | null;
}

export type RoutingErrorKind = 'no_eligible_tier' | 'tier_not_eligible' | 'tier_not_applicable';

/** The case cannot go to a vendor tier; `decision` shows what was considered (chosen is null). */
export class RoutingError extends Error {
  constructor(
    readonly kind: RoutingErrorKind,
    message: string,
    readonly decision: RoutingDecision,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}

export interface RoutingInput {
  category: TicketCategory;
  priority: Priority;
  requestedTier?: EscalationTier;
  entitlements: Entitlements;
  /** YYYY-MM-DD in the partner's timezone. */
  today: string;
}

/** Business-critical cases go to paid hours first; the others use included support first. */
const URGENT_PREFERENCE = [EscalationTier.Premier, EscalationTier.Advanced, EscalationTier.SignatureCloud];
const ROUTINE_PREFERENCE = [EscalationTier.SignatureCloud, EscalationTier.Advanced, EscalationTier.Premier];

const PREFERENCE_BY_PRIORITY: Record<Priority, readonly EscalationTier[]> = {
  P1: URGENT_PREFERENCE,
  P2: URGENT_PREFERENCE,
  P3: ROUTINE_PREFERENCE,
  P4: ROUTINE_PREFERENCE,
};

/**
 * Picks the vendor tier a case goes to. Commercial matters always go to commercial support;
 * technical matters go to the requested tier or the first eligible tier in the priority's
 * preference order. Throws RoutingError when no entitled tier fits.
 */
export function routeEscalation(input: RoutingInput): RoutingDecision {
  const availability = tierAvailability(input.entitlements, input.today);
  switch (input.category) {
    case 'billing':
    case 'subscription_management':
      return routeCommercial(input, availability);
    case 'technical':
      return routeTechnical(input, availability);
    default:
      throw new RangeError(`Unknown ticket category "${String(input.category)}"`);
  }
}

function routeCommercial(input: RoutingInput, availability: TierAvailability[]): RoutingDecision {
  const considered = [availabilityOf(availability, EscalationTier.Commercial)];
  const { requestedTier } = input;
  if (requestedTier !== undefined && requestedTier !== EscalationTier.Commercial) {
    throw new RoutingError(
      'tier_not_applicable',
      `A ${input.category} case goes to commercial support; the ${requestedTier} tier takes technical cases only`,
      { considered, chosen: null },
    );
  }
  return { considered, chosen: EscalationTier.Commercial };
}

function routeTechnical(input: RoutingInput, availability: TierAvailability[]): RoutingDecision {
  const preference = PREFERENCE_BY_PRIORITY[input.priority];
  if (preference === undefined) throw new RangeError(`Unknown priority "${String(input.priority)}"`);
  const considered = preference.map((tier) => availabilityOf(availability, tier));
  const refused = { considered, chosen: null };
  const { requestedTier } = input;

  if (requestedTier !== undefined) {
    const requested = considered.find((a) => a.tier === requestedTier);
    if (requested === undefined) {
      throw new RoutingError(
        'tier_not_applicable',
        `The ${requestedTier} tier does not take technical cases; use one of ${TECHNICAL_TIERS.join(', ')}`,
        refused,
      );
    }
    if (!requested.eligible) {
      throw new RoutingError(
        'tier_not_eligible',
        `The ${requestedTier} tier cannot take this case: ${requested.reason}`,
        refused,
      );
    }
    return { considered, chosen: requested.tier };
  }

  const first = considered.find((a) => a.eligible);
  if (first === undefined) {
    const why = considered.map((a) => `${a.tier}: ${a.reason}`).join('; ');
    throw new RoutingError('no_eligible_tier', `No vendor tier can take this technical case: ${why}`, refused);
  }
  return { considered, chosen: first.tier };
}

function availabilityOf(availability: TierAvailability[], tier: EscalationTier): TierAvailability {
  const found = availability.find((a) => a.tier === tier);
  if (found === undefined) throw new Error(`tierAvailability returned nothing for the ${tier} tier`);
  return found;
}
