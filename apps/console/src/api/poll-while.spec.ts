import { describe, expect, it } from '@jest/globals';
import { pollWhile } from './poll-while';

describe('pollWhile', () => {
  const interval = pollWhile((data: { status: string }) => data.status === 'pending', 750);
  const at = (data?: { status: string }) => interval({ state: { data } });

  it('polls every ms while there is no answer yet', () => {
    expect(at(undefined)).toBe(750);
  });

  it('polls while the answer is busy', () => {
    expect(at({ status: 'pending' })).toBe(750);
  });

  it('stops once the answer has settled', () => {
    expect(at({ status: 'sent' })).toBe(false);
    expect(at({ status: 'failed' })).toBe(false);
  });
});
