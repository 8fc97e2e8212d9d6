import type { DataSource, QueryRunner } from 'typeorm';
import { connectionsToWarm, keepConnectionsWarm } from './warm-connections';

/** A DataSource whose pool and query runners only record what is done with them. */
function fakeDataSource(pool: { options: { min?: number; max?: number } }) {
  const log: string[] = [];
  let held = 0;
  let mostHeld = 0;
  let made = 0;
  const dataSource = {
    driver: { master: { ...pool, totalCount: 0, idleCount: 0 } },
    createQueryRunner: () => {
      const n = ++made;
      return {
        connect: async () => {
          held++;
          mostHeld = Math.max(mostHeld, held);
          log.push(`connect ${n}`);
        },
        release: async () => {
          held--;
          log.push(`release ${n}`);
        },
        n,
      } as unknown as QueryRunner;
    },
  } as unknown as DataSource;
  return { dataSource, log, mostHeld: () => mostHeld, held: () => held, pool: (dataSource.driver as unknown as { master: { options: { min?: number } } }).master };
}

describe('connectionsToWarm', () => {
  it('is what was asked for within the pool size, and at least one', () => {
    expect(connectionsToWarm(9, 20)).toBe(9);
    expect(connectionsToWarm(9, 4)).toBe(4);
    expect(connectionsToWarm(0, 20)).toBe(1);
    expect(connectionsToWarm(2.7, 20)).toBe(2);
    // pg-pool's own default size when none is set.
    expect(connectionsToWarm(30, undefined)).toBe(10);
  });
});

describe('keepConnectionsWarm', () => {
  it('holds all the connections at once, warms each, gives them all back and raises the pool\'s floor to them', async () => {
    const fake = fakeDataSource({ options: { min: 2, max: 20 } });
    const warmed: number[] = [];
    const n = await keepConnectionsWarm(fake.dataSource, 9, async (runner) => {
      // Every connection is held before any is warmed: the pool had to open one for each.
      expect(fake.held()).toBe(9);
      warmed.push((runner as unknown as { n: number }).n);
    });
    expect(n).toBe(9);
    expect(fake.mostHeld()).toBe(9);
    expect(warmed.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fake.held()).toBe(0);
    expect(fake.pool.options.min).toBe(9);
  });

  it('never lowers the floor, nor opens more than the pool holds', async () => {
    const high = fakeDataSource({ options: { min: 12, max: 20 } });
    expect(await keepConnectionsWarm(high.dataSource, 3, async () => undefined)).toBe(3);
    expect(high.pool.options.min).toBe(12);
    const small = fakeDataSource({ options: { max: 4 } });
    expect(await keepConnectionsWarm(small.dataSource, 9, async () => undefined)).toBe(4);
    expect(small.mostHeld()).toBe(4);
    expect(small.pool.options.min).toBe(4);
  });

  it('gives every connection back when warming one fails, and fails', async () => {
    const fake = fakeDataSource({ options: { min: 2, max: 20 } });
    let calls = 0;
    await expect(
      keepConnectionsWarm(fake.dataSource, 5, async () => {
        if (++calls === 3) throw new Error('connection lost');
      }),
    ).rejects.toThrow('connection lost');
    expect(fake.held()).toBe(0);
    expect(fake.log.filter((l) => l.startsWith('release'))).toHaveLength(5);
  });
});
