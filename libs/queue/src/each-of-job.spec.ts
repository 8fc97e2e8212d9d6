import { eachOfJob } from './each-of-job';

describe('eachOfJob', () => {
  it('gives the results in the items order', async () => {
    await expect(eachOfJob(['a', 'b', 'c'], async (x) => x.toUpperCase(), 'not done')).resolves.toEqual(['A', 'B', 'C']);
  });

  it('does every item before it throws for those that failed, naming the first', async () => {
    const done: string[] = [];
    const work = async (x: string) => {
      if (x === 'b' || x === 'd') throw new Error(`${x} refused`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(x);
      return x;
    };
    await expect(eachOfJob(['a', 'b', 'c', 'd'], work, 'tickets not triaged')).rejects.toThrow('2 of 4 tickets not triaged (b: b refused)');
    expect(done.sort()).toEqual(['a', 'c']);
  });
});
