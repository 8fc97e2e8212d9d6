import { deliveryJobId, deliveryRoundOf } from './delivery-job-id';

describe('delivery job ids', () => {
  const id = '0b6f1d0e-5c1a-4c4e-9f57-1f0c8d0a2b11';

  it('names round 0 by the escalation id and later rounds with a suffix', () => {
    expect(deliveryJobId(id, 0)).toBe(id);
    expect(deliveryJobId(id, 3)).toBe(`${id}-retry-3`);
  });

  it('reads the round back, and nothing from a job of another escalation or a malformed suffix', () => {
    for (const round of [0, 1, 12]) expect(deliveryRoundOf(deliveryJobId(id, round), id)).toBe(round);
    expect(deliveryRoundOf(undefined, id)).toBeNull();
    expect(deliveryRoundOf('5c1a0b6f-1d0e-4c4e-9f57-1f0c8d0a2b11', id)).toBeNull();
    expect(deliveryRoundOf(`${id}-retry-`, id)).toBeNull();
    expect(deliveryRoundOf(`${id}-retry-0`, id)).toBeNull();
    expect(deliveryRoundOf(`${id}-retry-1.5`, id)).toBeNull();
  });
});
