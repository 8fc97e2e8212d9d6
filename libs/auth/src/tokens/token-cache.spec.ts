import type { Principal } from '../principal';
import { StaffRole } from '../roles';
import { TokenCache } from './token-cache';

const staff: Principal = { kind: 'staff', agentId: 'a1', roles: [StaffRole.AdminAgent], tokenId: 't1' };
const customer: Principal = { kind: 'customer', customerId: 'c1', tokenId: 't2' };

describe('TokenCache', () => {
  const limits = { ttlMs: 10_000, negativeTtlMs: 3_000, max: 3 };

  it('answers principals for their TTL and unknown tokens for the shorter negative TTL', () => {
    const cache = new TokenCache(limits);
    cache.set('h1', staff, cache.generation, 0);
    cache.set('bad', null, cache.generation, 0);
    expect(cache.get('h1', 9_999)).toBe(staff);
    expect(cache.get('bad', 2_999)).toBeNull();
    expect(cache.get('bad', 3_000)).toBeUndefined();
    expect(cache.get('h1', 10_000)).toBeUndefined();
    expect(cache.get('never', 0)).toBeUndefined();
  });

  it('drops the principals an invalidation names: by token, by agent, by customer, or all', () => {
    const cache = new TokenCache(limits);
    const fill = () => {
      cache.set('s', staff, cache.generation, 0);
      cache.set('c', customer, cache.generation, 0);
    };
    fill();
    cache.invalidate({ tokenIds: ['t1'] });
    expect([cache.get('s', 1), cache.get('c', 1)]).toEqual([undefined, customer]);
    fill();
    cache.invalidate({ agentIds: ['a1'] });
    expect([cache.get('s', 1), cache.get('c', 1)]).toEqual([undefined, customer]);
    fill();
    cache.invalidate({ customerIds: ['c1'] });
    expect([cache.get('s', 1), cache.get('c', 1)]).toEqual([staff, undefined]);
    fill();
    cache.invalidate({ all: true });
    expect([cache.get('s', 1), cache.get('c', 1)]).toEqual([undefined, undefined]);
  });

  it('forgets "no such token" for a hash that was just issued', () => {
    const cache = new TokenCache(limits);
    cache.set('new', null, cache.generation, 0);
    cache.invalidate({ tokenHashes: ['new'] });
    expect(cache.get('new', 1)).toBeUndefined();
  });

  it('ignores an answer read before an invalidation (it may be the row as it was)', () => {
    const cache = new TokenCache(limits);
    const before = cache.generation;
    cache.invalidate({ agentIds: ['someone else'] });
    cache.set('s', staff, before, 0);
    expect(cache.get('s', 1)).toBeUndefined();
  });

  it('stays within its bound, dropping the oldest entries first', () => {
    const cache = new TokenCache(limits);
    for (const hash of ['x1', 'x2', 'x3', 'x4', 'x5']) cache.set(hash, null, cache.generation, 0);
    expect(cache.size.unknown).toBe(3);
    expect(cache.get('x1', 1)).toBeUndefined();
    expect(cache.get('x5', 1)).toBeNull();
  });
});
