import { EventRow, publicTimeline } from './public-timeline';

const at = new Date('2026-03-02T10:00:00Z');
const row = (type: string, data: Record<string, unknown>, actor: Pick<EventRow, 'actor_kind' | 'actor_name'> = { actor_kind: 'system', actor_name: null }): EventRow => ({
  id: `${type}-${JSON.stringify(data)}`,
  type,
  data,
  at,
  ...actor,
});

describe('publicTimeline', () => {
  const ana = { actor_kind: 'staff' as const, actor_name: 'Ana García' };

  it('keeps what a customer may see: creation, public status moves, public comments, staff by name', () => {
    const entries = publicTimeline([
      row('created', { number: 1, channel: 'portal', category: 'technical', priority: 'P3' }, { actor_kind: 'customer', actor_name: 'Contoso' }),
      row('status_changed', { from: 'new', to: 'triaged' }),
      row('triaged', { queue: 'tier-2-internal', diagnosis: { runbook: 'x' } }),
      row('assigned', { from: null, to: '5b0e2d4c-0000-4000-8000-000000000001' }),
      row('status_changed', { from: 'triaged', to: 'in_progress' }, ana),
      row('commented', { commentId: 'c1', visibility: 'internal' }, ana),
      row('commented', { commentId: 'c2', visibility: 'public' }, ana),
      row('status_changed', { from: 'in_progress', to: 'escalated' }),
      row('escalated', { tier: 'premier', routing: { contract: 'P-1' } }),
      row('sla_breached', { target: 'resolution' }),
    ]);
    expect(entries.map(({ type, actor, data }) => ({ type, actor, data }))).toEqual([
      { type: 'created', actor: { kind: 'customer', name: null }, data: { number: 'HD-000001', channel: 'portal' } },
      { type: 'status_changed', actor: { kind: 'staff', name: 'Ana García' }, data: { from: 'open', to: 'in_progress' } },
      { type: 'commented', actor: { kind: 'staff', name: 'Ana García' }, data: { commentId: 'c2' } },
      { type: 'status_changed', actor: { kind: 'system', name: null }, data: { from: 'in_progress', to: 'escalated_to_vendor' } },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/5b0e2d4c|tier-2-internal|premier|diagnosis/);
  });

  it('names a customer on a public comment that came with a name (an e-mailed reply), and nowhere else', () => {
    const marta = { actor_kind: 'customer' as const, actor_name: 'Marta López' };
    const entries = publicTimeline([
      row('created', { number: 2, channel: 'email' }, marta),
      row('commented', { commentId: 'c3', visibility: 'public' }, marta),
      row('commented', { commentId: 'c4', visibility: 'public' }, { actor_kind: 'customer', actor_name: null }),
    ]);
    expect(entries.map((e) => e.actor)).toEqual([
      { kind: 'customer', name: null },
      { kind: 'customer', name: 'Marta López' },
      { kind: 'customer', name: null },
    ]);
  });
});
