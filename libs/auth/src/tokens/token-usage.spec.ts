import { LAST_USED_RESOLUTION_MS, TokenUsage } from './token-usage';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TokenUsage', () => {
  it('writes a token used many times once per minute, and the uses of one turn together', async () => {
    const writes: string[][] = [];
    const usage = new TokenUsage(async (ids) => void writes.push(ids));
    const start = 1_000_000;
    for (let i = 0; i < 100; i++) usage.used('t1', null, start + i);
    usage.used('t2', null, start);
    await nextTurn();
    expect(writes).toEqual([['t1', 't2']]);
    usage.used('t1', null, start + LAST_USED_RESOLUTION_MS - 1);
    await nextTurn();
    expect(writes).toHaveLength(1);
    usage.used('t1', null, start + LAST_USED_RESOLUTION_MS);
    await nextTurn();
    expect(writes).toEqual([['t1', 't2'], ['t1']]);
  });

  it('does not write a use another process wrote less than a minute ago', async () => {
    const writes: string[][] = [];
    const usage = new TokenUsage(async (ids) => void writes.push(ids));
    usage.used('t1', new Date(50_000), 60_000);
    usage.used('t1', null, 70_000);
    await nextTurn();
    expect(writes).toEqual([]);
    usage.used('t1', null, 50_000 + LAST_USED_RESOLUTION_MS);
    await nextTurn();
    expect(writes).toEqual([['t1']]);
  });
});
