import { SharedCounts } from './shared-counts';

/** A count whose answer the test gives when it wants (a statement still running). */
function deferredCount() {
  const calls: Array<{ resolve: (n: number) => void; reject: (e: Error) => void }> = [];
  const count = jest.fn(() => new Promise<number>((resolve, reject) => calls.push({ resolve, reject })));
  return { count, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedCounts', () => {
  let now: number;
  let errors: unknown[];
  let counts: SharedCounts;
  beforeEach(() => {
    now = 1_000_000;
    errors = [];
    counts = new SharedCounts({ freshMs: 1_000, maxAgeMs: 2_000, idleMs: 60_000, maxEntries: 3, now: () => now, onBackgroundError: (e) => errors.push(e) });
  });

  it('counts once for every caller while fresh; callers that ask while the first count runs wait for it', async () => {
    const { count, calls } = deferredCount();
    const first = counts.get('k', count);
    const second = counts.get('k', count);
    expect(count).toHaveBeenCalledTimes(1);
    calls[0].resolve(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    now += 999;
    expect(await counts.get('k', count)).toBe(7);
    expect(count).toHaveBeenCalledTimes(1);
  });

  it('between 1 s and 2 s: answers the last count at once and counts again behind the request, once', async () => {
    const { count, calls } = deferredCount();
    const first = counts.get('k', count);
    calls[0].resolve(7);
    await first;
    now += 1_500;
    expect(await counts.get('k', count)).toBe(7);
    expect(await counts.get('k', count)).toBe(7);
    expect(count).toHaveBeenCalledTimes(2);
    calls[1].resolve(8);
    await settle();
    expect(await counts.get('k', count)).toBe(8);
    expect(count).toHaveBeenCalledTimes(2);
  });

  it('never answers a count begun more than 2 s ago: the request waits for a new one', async () => {
    const { count, calls } = deferredCount();
    const first = counts.get('k', count);
    calls[0].resolve(7);
    await first;
    now += 2_000;
    let answered: number | undefined;
    const waiting = counts.get('k', count).then((n) => (answered = n));
    await settle();
    expect(answered).toBeUndefined();
    calls[1].resolve(9);
    await waiting;
    expect(answered).toBe(9);
  });

  it('a count made behind a request that fails keeps the last one until it is too old, then the caller gets the error', async () => {
    const { count, calls } = deferredCount();
    const first = counts.get('k', count);
    calls[0].resolve(7);
    await first;
    now += 1_200;
    expect(await counts.get('k', count)).toBe(7);
    calls[1].reject(new Error('statement timeout'));
    await settle();
    expect(errors).toEqual([new Error('statement timeout')]);
    now += 900;
    const failing = counts.get('k', count);
    calls[2].reject(new Error('still down'));
    await expect(failing).rejects.toThrow('still down');
  });

  it('a failed first count is not kept: the next caller counts again', async () => {
    const { count, calls } = deferredCount();
    const first = counts.get('k', count);
    calls[0].reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    const second = counts.get('k', count);
    calls[1].resolve(3);
    expect(await second).toBe(3);
  });

  it('keys are counted apart; the least recently asked go first past the limit, and idle ones after a minute', async () => {
    const made: string[] = [];
    const by = (key: string, n: number) => () => (made.push(key), Promise.resolve(n));
    expect(await counts.get('a', by('a', 1))).toBe(1);
    expect(await counts.get('b', by('b', 2))).toBe(2);
    expect(await counts.get('c', by('c', 3))).toBe(3);
    expect(await counts.get('a', by('a', 1))).toBe(1); // a is now the most recent
    expect(await counts.get('d', by('d', 4))).toBe(4); // b goes
    expect(counts.size).toBe(3);
    expect(await counts.get('a', by('a', 1))).toBe(1);
    expect(await counts.get('b', by('b', 2))).toBe(2);
    expect(made).toEqual(['a', 'b', 'c', 'd', 'b']);
    now += 60_000;
    await counts.get('e', by('e', 5));
    expect(counts.size).toBe(1);
  });
});
