import { preparedFirst } from './prepared-statement';

const stale = Object.assign(new Error('cached plan must not change result type'), { code: '0A000' });

describe('preparedFirst', () => {
  it('runs the transaction prepared, and only once when it succeeds', async () => {
    const runs: boolean[] = [];
    expect(await preparedFirst(async (prepare) => (runs.push(prepare), 'done'))).toBe('done');
    expect(runs).toEqual([true]);
  });

  it('runs it again unprepared after a stale plan, telling onStale first', async () => {
    const runs: boolean[] = [];
    const heard: unknown[] = [];
    const result = await preparedFirst(
      async (prepare) => {
        runs.push(prepare);
        if (prepare) throw stale;
        return 'again';
      },
      (error) => heard.push(error),
    );
    expect([result, runs, heard]).toEqual(['again', [true, false], [stale]]);
  });

  it('passes any other error on without a second run', async () => {
    const runs: boolean[] = [];
    const other = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    await expect(preparedFirst(async (prepare) => (runs.push(prepare), Promise.reject(other)))).rejects.toBe(other);
    expect(runs).toEqual([true]);
  });
});
