import { HEALTHY_AFTER_MS, MAX_CRASHES_IN_A_ROW, RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  it('backs off 0.5 s, 1 s, 2 s, 4 s and gives up at the fifth crash in a row', () => {
    const policy = new RestartPolicy();
    const delays = Array.from({ length: MAX_CRASHES_IN_A_ROW }, () => policy.afterCrash(1_000));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, undefined]);
  });

  it('counts a slow start that crashes like any other: a process that can never start is given up', () => {
    const policy = new RestartPolicy();
    const delays = Array.from({ length: MAX_CRASHES_IN_A_ROW }, () => policy.afterCrash(HEALTHY_AFTER_MS - 1));
    expect(delays.at(-1)).toBeUndefined();
  });

  it('starts counting again after a run of HEALTHY_AFTER_MS or more', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < MAX_CRASHES_IN_A_ROW - 1; i++) policy.afterCrash(10);
    expect(policy.afterCrash(HEALTHY_AFTER_MS)).toBe(500);
    expect(policy.crashes).toBe(1);
    expect(policy.afterCrash(10)).toBe(1_000);
  });
});
