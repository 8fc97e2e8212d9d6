import type { TicketChange } from './ticket-hooks';
import { TicketHooks } from './ticket-hooks';

const change = {} as TicketChange;

describe('TicketHooks.affect: may a change be written without running the hooks', () => {
  it('is false with no hooks, or hooks that only extend views', () => {
    const hooks = new TicketHooks();
    expect(hooks.affect(change)).toBe(false);
    hooks.register({ extendView: () => undefined });
    expect(hooks.affect(change)).toBe(false);
  });

  it('asks each hook with afterChange, and takes one that cannot say as having work', () => {
    const hooks = new TicketHooks();
    let answer = false;
    hooks.register({ afterChange: async () => false, affects: () => answer });
    expect(hooks.affect(change)).toBe(false);
    answer = true;
    expect(hooks.affect(change)).toBe(true);

    const silent = new TicketHooks();
    silent.register({ afterChange: async () => false });
    expect(silent.affect(change)).toBe(true);
  });
});
