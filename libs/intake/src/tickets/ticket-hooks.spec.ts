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

  it('takes a hook with only beforeWrite as having work, unless it says otherwise', () => {
    const hooks = new TicketHooks();
    hooks.register({ beforeWrite: async () => null });
    expect(hooks.affect(change)).toBe(true);
    const said = new TicketHooks();
    said.register({ beforeWrite: async () => null, affects: () => false });
    expect(said.affect(change)).toBe(false);
  });
});

describe('TicketHooks.beforeWrite: what the hooks add to a change\'s write', () => {
  it('merges every hook\'s columns and keeps their events in registration order', async () => {
    const hooks = new TicketHooks();
    hooks.register({ beforeWrite: async () => ({ columns: { resolved_at: 'r' }, events: [{ type: 'a', data: {} }] }) });
    hooks.register({ beforeWrite: async () => null });
    hooks.register({ beforeWrite: async () => ({ columns: { sla_paused_since: null }, events: [{ type: 'b', data: { x: 1 }, actorKind: 'system', actorId: null }] }) });
    const added = await hooks.beforeWrite({} as never, change);
    expect(added.columns).toEqual({ resolved_at: 'r', sla_paused_since: null });
    expect(added.events.map((e) => e.type)).toEqual(['a', 'b']);
  });
});
