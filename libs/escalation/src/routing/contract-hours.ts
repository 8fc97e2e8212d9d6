/** Below this share of the purchased hours a contract counts as running low. */
export const LOW_HOURS_SHARE = 0.1;

export interface HoursDeduction {
  hoursRemaining: number;
  /** True only for the deduction that takes the contract from >= 10% to < 10% of its purchased hours. */
  crossedLowThreshold: boolean;
}

/**
 * Takes `hoursUsed` off a contract's remaining hours, never going below zero. All amounts are
 * counted in hundredths of an hour, so the result has at most two decimals and no float drift.
 */
export function deductHours(
  contract: { hoursRemaining: number; hoursPurchased: number },
  hoursUsed: number,
): HoursDeduction {
  const used = toHundredths(hoursUsed, 'hoursUsed');
  const before = toHundredths(contract.hoursRemaining, 'hoursRemaining');
  const purchased = toHundredths(contract.hoursPurchased, 'hoursPurchased');
  const after = Math.max(0, before - used);

  // remaining < 10% of purchased  <=>  remaining * 10 < purchased (exact in integers)
  const lowShareDivisor = Math.round(1 / LOW_HOURS_SHARE);
  const isLow = (hundredths: number): boolean => hundredths * lowShareDivisor < purchased;

  return { hoursRemaining: after / 100, crossedLowThreshold: !isLow(before) && isLow(after) };
}

/** An hour amount as a whole number of hundredths, rounded half away from zero. */
function toHundredths(hours: number, field: string): number {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
    throw new RangeError(`${field} must be a finite number of hours >= 0, got ${String(hours)}`);
  }
  // toPrecision(15) drops the binary noise of the multiplication (1.005 * 100 = 100.49999999999999).
  return Math.round(Number((hours * 100).toPrecision(15)));
}
