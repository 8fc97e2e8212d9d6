import { agingBucket } from './receivables.service';

describe('agingBucket', () => {
  it.each<[number, string]>([
    [-10, 'current'],
    [0, 'current'],
    [1, 'days1to30'],
    [30, 'days1to30'],
    [31, 'days31to60'],
    [60, 'days31to60'],
    [61, 'days61to90'],
    [90, 'days61to90'],
    [91, 'over90'],
    [400, 'over90'],
  ])('puts %i days past due in %s', (days, bucket) => {
    expect(agingBucket(days)).toBe(bucket);
  });
});
