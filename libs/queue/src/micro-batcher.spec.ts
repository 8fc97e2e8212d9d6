import { BatchEntry, MicroBatcher } from './micro-batcher';

const tick = () => new Promise<void>((done) => setImmediate(done));

describe('MicroBatcher', () => {
  it('sends the items added in one event-loop turn together, and those added while busy in the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const batcher = new MicroBatcher<number, number>(
      async (batch) => {
        batches.push(batch.map((e) => e.item));
        if (batches.length === 1) await gate;
        batch.forEach((e) => e.resolve(e.item * 10));
      },
      { maxBatchSize: 10, maxConcurrentBatches: 1 },
    );
    const first = [1, 2, 3].map((n) => batcher.add(n));
    await tick();
    const second = [4, 5].map((n) => batcher.add(n));
    await tick();
    expect(batches).toEqual([[1, 2, 3]]);
    expect(batcher.load).toEqual({ waiting: 2, running: 1 });
    release();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('caps the batch size', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (batch) => {
        sizes.push(batch.length);
        batch.forEach((e) => e.resolve(e.item));
      },
      { maxBatchSize: 4, maxConcurrentBatches: 2 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.add(i)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...sizes)).toBe(4);
  });

  it('runs a failed batch again item by item, so only the item that breaks it fails', async () => {
    const runs: number[][] = [];
    const batcher = new MicroBatcher<number, string>(
      async (batch: Array<BatchEntry<number, string>>) => {
        runs.push(batch.map((e) => e.item));
        if (batch.some((e) => e.item === 13)) throw new Error('unlucky');
        batch.forEach((e) => e.resolve(`ok ${e.item}`));
      },
      { maxBatchSize: 10, maxConcurrentBatches: 1 },
    );
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['ok 12', 'unlucky', 'ok 14']);
    expect(runs).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('keeps what a batch answered before it failed, and lets an entry be answered by a later batch', async () => {
    let calls = 0;
    const batcher: MicroBatcher<number, string> = new MicroBatcher<number, string>(
      async (batch) => {
        calls++;
        for (const e of batch) {
          if (e.item === 1) e.resolve('answered');
          // Queued again: answered by the next batch (the caller gets that outcome).
          else if (e.item === 2 && calls === 1) e.resolve(batcher.add(20));
          else if (e.item === 20) e.resolve('again');
        }
        if (calls === 1) throw new Error('late failure');
      },
      { maxBatchSize: 10, maxConcurrentBatches: 1 },
    );
    expect(await Promise.all([batcher.add(1), batcher.add(2)])).toEqual(['answered', 'again']);
  });
});
