import { deductHours } from './contract-hours';

describe('deductHours', () => {
  it.each<[string, number, number, number, number]>([
    // [case, purchased, remaining, used, expected remaining]
    ['a plain deduction', 100, 50, 12.5, 37.5],
    ['nothing used', 100, 50, 0, 50],
    ['exactly all that is left', 100, 3.25, 3.25, 0],
    ['more than is left stops at zero', 100, 2, 5, 0],
    ['from an empty contract', 100, 0, 1, 0],
    ['0.3 - 0.1 without float drift', 10, 0.3, 0.1, 0.2],
    ['1.1 - 0.2 without float drift', 10, 1.1, 0.2, 0.9],
    ['usage rounded to 2 decimals (1.005 -> 1.01)', 100, 10, 1.005, 8.99],
    ['usage rounded to 2 decimals (0.004 -> 0)', 100, 10, 0.004, 10],
  ])('%s', (_case, hoursPurchased, hoursRemaining, used, expected) => {
    expect(deductHours({ hoursPurchased, hoursRemaining }, used).hoursRemaining).toBe(expected);
  });

  it('adds up many small deductions exactly', () => {
    let contract = { hoursPurchased: 10, hoursRemaining: 10 };
    for (let i = 0; i < 30; i += 1) {
      contract = { ...contract, hoursRemaining: deductHours(contract, 0.1).hoursRemaining };
    }
    expect(contract.hoursRemaining).toBe(7);
  });

  describe('the low-hours threshold (10% of purchased)', () => {
    it.each<[string, number, number, number, boolean]>([
      // [case, purchased, remaining, used, crossed]
      ['from above to below', 100, 15, 6, true],
      ['from exactly 10% to below', 100, 10, 0.01, true],
      ['from above to exactly 10% (not yet low)', 100, 12, 2, false],
      ['staying above', 100, 50, 10, false],
      ['already below, going lower', 100, 9.99, 1, false],
      ['already below, going to zero', 100, 5, 50, false],
      ['from above straight to zero', 100, 40, 100, true],
      ['zero usage at exactly 10%', 100, 10, 0, false],
      ['with fractional purchased hours (10% of 12.5 = 1.25)', 12.5, 1.26, 0.02, true],
      ['ending exactly on 1.25 of 12.5', 12.5, 1.3, 0.05, false],
      ['a contract of zero purchased hours never runs low', 0, 0, 1, false],
      ['top-ups above purchased still cross once', 10, 20, 19.5, true],
    ])('%s -> crossed %s', (_case, hoursPurchased, hoursRemaining, used, crossed) => {
      expect(deductHours({ hoursPurchased, hoursRemaining }, used).crossedLowThreshold).toBe(crossed);
    });

    it('reports the crossing on exactly one of a series of deductions', () => {
      let contract = { hoursPurchased: 40, hoursRemaining: 40 };
      const crossings: number[] = [];
      for (let step = 1; step <= 12; step += 1) {
        const result = deductHours(contract, 3.5);
        if (result.crossedLowThreshold) crossings.push(step);
        contract = { ...contract, hoursRemaining: result.hoursRemaining };
      }
      // 40 - 3.5 * 10 = 5 (>= 4), 40 - 3.5 * 11 = 1.5 (< 4): the 11th deduction crosses.
      expect(crossings).toEqual([11]);
      expect(contract.hoursRemaining).toBe(0);
    });
  });

  it.each([-1, -0.01, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('rejects hoursUsed = %p', (used) => {
    expect(() => deductHours({ hoursPurchased: 10, hoursRemaining: 10 }, used)).toThrow(
      new RangeError(`hoursUsed must be a finite number of hours >= 0, got ${String(used)}`),
    );
  });

  it('rejects a corrupt contract', () => {
    expect(() => deductHours({ hoursPurchased: 10, hoursRemaining: Number.NaN }, 1)).toThrow(
      new RangeError('hoursRemaining must be a finite number of hours >= 0, got NaN'),
    );
    expect(() => deductHours({ hoursPurchased: -5, hoursRemaining: 1 }, 1)).toThrow(
      new RangeError('hoursPurchased must be a finite number of hours >= 0, got -5'),
    );
  });
});
