import { bulkConcurrency } from './ticket-bulk.service';

describe('bulkConcurrency: ticket changes of a bulk request in flight', () => {
  it('takes at most half the pool with the request’s own connection, and at most 8', () => {
    expect(bulkConcurrency(20)).toBe(8);
    expect(bulkConcurrency(200)).toBe(8);
    expect(bulkConcurrency(10)).toBe(4);
    expect(bulkConcurrency(6)).toBe(2);
  });

  it('runs one change at a time on a small pool rather than none', () => {
    expect(bulkConcurrency(3)).toBe(1);
    expect(bulkConcurrency(1)).toBe(1);
  });
});
