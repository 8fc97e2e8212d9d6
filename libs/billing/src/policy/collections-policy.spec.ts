import { checkPolicy, dueRanges, PolicyStep, PolicyVersion, versionFor, warningBefore } from './collections-policy';

const version = (n: number, effectiveOn: string): PolicyVersion => ({
  version: n,
  effectiveOn,
  timezone: 'Europe/Madrid',
  steps: [{ action: 'remind', days: 1, products: null, restoreRequires: null }],
  minimumAmounts: [],
  createdAt: new Date(`${effectiveOn}T10:00:00Z`),
});

describe('collections policy', () => {
  it('accepts an ordered policy and normalises its steps', () => {
    const { steps, minimumAmounts, problems } = checkPolicy({
      timezone: 'Europe/Madrid',
      steps: [
        { action: 'remind', days: 3 },
        { action: 'final_notice', days: 15 },
        { action: 'suspend', days: 30, products: ['azure'], restoreRequires: 'overdue' },
        { action: 'suspend', days: 30, products: 'all', restoreRequires: 'full' },
      ],
      minimumAmounts: [{ currency: 'EUR', amount: '10.00' }, { currency: 'JPY', amount: '1000' }],
    });
    expect(problems).toEqual([]);
    expect(steps[0]).toEqual({ action: 'remind', days: 3, products: null, restoreRequires: null });
    expect(steps[2]).toEqual({ action: 'suspend', days: 30, products: ['azure'], restoreRequires: 'overdue' });
    expect(steps[3].products).toBeNull();
    expect(minimumAmounts).toEqual([{ currency: 'EUR', minor: 1000 }, { currency: 'JPY', minor: 1000 }]);
  });

  it('names every field that breaks a rule', () => {
    const { problems } = checkPolicy({
      timezone: 'Europe/Atlantis',
      steps: [
        { action: 'final_notice', days: 15, products: 'all' },
        { action: 'remind', days: 3, restoreRequires: 'full' },
        { action: 'suspend', days: 30 },
      ],
      minimumAmounts: [{ currency: 'EUR', amount: '1.005' }, { currency: 'EUR', amount: '1' }, { currency: 'EURO', amount: '1' }],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'timezone',
      'steps.0.products',
      'steps.1.days',
      'steps.1.restoreRequires',
      'steps.2.products',
      'steps.2.restoreRequires',
      'minimumAmounts.0.amount',
      'minimumAmounts.1.currency',
      'minimumAmounts.2.currency',
    ]);
  });

  it('gives an invoice the version in force when it fell due, and the first to older ones', () => {
    const versions = [version(1, '2026-10-01'), version(2, '2026-11-01'), version(3, '2026-11-01'), version(4, '2026-12-10')];
    expect(versionFor(versions, '2026-01-01')?.version).toBe(1);
    expect(versionFor(versions, '2026-10-31')?.version).toBe(1);
    expect(versionFor(versions, '2026-11-01')?.version).toBe(3);
    expect(versionFor(versions, '2026-12-09')?.version).toBe(3);
    expect(versionFor(versions, '2026-12-10')?.version).toBe(4);
    expect(versionFor([], '2026-12-10')).toBeNull();
  });

  it('splits due dates into ranges that agree with versionFor', () => {
    const versions = [version(1, '2026-10-01'), version(2, '2026-11-01'), version(3, '2026-11-01'), version(4, '2026-12-10')];
    const ranges = dueRanges(versions);
    expect(ranges.map((r) => [r.version.version, r.from, r.until])).toEqual([
      [1, null, '2026-11-01'],
      [3, '2026-11-01', '2026-12-10'],
      [4, '2026-12-10', null],
    ]);
    for (const due of ['2025-05-05', '2026-10-31', '2026-11-01', '2026-12-09', '2026-12-10', '2027-06-01']) {
      const inRange = ranges.find((r) => (r.from === null || due >= r.from) && (r.until === null || due < r.until));
      expect([due, inRange?.version.version]).toEqual([due, versionFor(versions, due)?.version]);
    }
  });

  it('lets a second version made on the first one’s day replace it, also for older invoices', () => {
    const ranges = dueRanges([version(1, '2026-10-01'), version(2, '2026-10-01')]);
    expect(ranges.map((r) => [r.version.version, r.from, r.until])).toEqual([
      [1, null, '2026-10-01'],
      [2, '2026-10-01', null],
    ]);
  });

  it('gives each suspend step the warning it waits for and the notice period after it', () => {
    const step = (action: PolicyStep['action'], days: number): PolicyStep => ({ action, days, products: null, restoreRequires: action === 'suspend' ? 'overdue' : null });
    const steps = [step('remind', 1), step('final_notice', 15), step('suspend', 30), step('suspend', 45)];
    expect(warningBefore(steps, 2)).toEqual({ step: 1, noticeDays: 15 });
    // A second suspension waits after the same final notice (its days minus the notice's).
    expect(warningBefore(steps, 3)).toEqual({ step: 1, noticeDays: 30 });
    expect(warningBefore([step('remind', 5), step('suspend', 5)], 1)).toEqual({ step: 0, noticeDays: 0 });
    expect(warningBefore([step('suspend', 10)], 0)).toBeNull();
  });
});
