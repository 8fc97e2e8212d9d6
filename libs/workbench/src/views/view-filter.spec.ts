import { countSelected, TicketCounterRow } from '@helpdesk/monitoring';
import { BUILT_IN_VIEWS, OPEN_STATUSES } from './built-in-views';
import { counterSelection, isOpenOf, ticketFilterFor } from './view-filter';

describe('ticketFilterFor', () => {
  const viewer = { agentId: '11111111-1111-4111-8111-111111111111', queues: ['billing', 'vip'] };

  it('me is the viewer, none is unassigned, another id stays', () => {
    expect(ticketFilterFor({ assigneeId: 'me' }, viewer).assigneeId).toBe(viewer.agentId);
    expect(ticketFilterFor({ assigneeId: 'none' }, viewer).assigneeId).toBeNull();
    expect(ticketFilterFor({ assigneeId: '22222222-2222-4222-8222-222222222222' }, viewer).assigneeId).toBe('22222222-2222-4222-8222-222222222222');
    expect(ticketFilterFor({}, viewer).assigneeId).toBeUndefined();
  });

  it("inMyQueues is the viewer's queues, narrowed by a queue if the view names one", () => {
    expect(ticketFilterFor({ inMyQueues: true }, viewer).queues).toEqual(['billing', 'vip']);
    expect(ticketFilterFor({ inMyQueues: true, queue: 'vip' }, viewer).queues).toEqual(['vip']);
    expect(ticketFilterFor({ inMyQueues: true, queue: 'technical' }, viewer).queues).toEqual([]);
    expect(ticketFilterFor({ inMyQueues: true }, { ...viewer, queues: [] }).queues).toEqual([]);
    expect(ticketFilterFor({ queue: 'technical' }, viewer).queues).toEqual(['technical']);
    expect(ticketFilterFor({}, viewer).queues).toBeUndefined();
  });

  it('keeps the other filters and takes the SLA horizon the caller computed', () => {
    const horizon = { from: new Date(), untilByPlan: [] };
    expect(ticketFilterFor({ status: ['escalated'], priority: ['P1'], category: 'billing', tags: ['vip'], q: 'factura', customerId: 'c' }, viewer, horizon)).toEqual({
      status: ['escalated'],
      priority: ['P1'],
      category: 'billing',
      tags: ['vip'],
      q: 'factura',
      customerId: 'c',
      queues: undefined,
      assigneeId: undefined,
      slaDueWithin: horizon,
    });
  });
});

describe('which views the writes\' counters answer', () => {
  const viewer = { agentId: '11111111-1111-4111-8111-111111111111', queues: ['billing', 'vip'] };
  const builtIn = (id: string) => ticketFilterFor(BUILT_IN_VIEWS.find((v) => v.id === id)!.filter, viewer);

  it("my-open is the viewer's open-tickets counter; another agent's, or narrower, is not", () => {
    expect(isOpenOf(builtIn('my-open'), viewer.agentId)).toBe(true);
    expect(isOpenOf({ assigneeId: viewer.agentId, status: [...OPEN_STATUSES].reverse() }, viewer.agentId)).toBe(true);
    expect(isOpenOf({ assigneeId: '22222222-2222-4222-8222-222222222222', status: OPEN_STATUSES }, viewer.agentId)).toBe(false);
    expect(isOpenOf({ assigneeId: viewer.agentId, status: ['triaged', 'in_progress'] }, viewer.agentId)).toBe(false);
    expect(isOpenOf({ assigneeId: viewer.agentId, status: [...OPEN_STATUSES, 'closed'] }, viewer.agentId)).toBe(false);
    expect(isOpenOf({ assigneeId: viewer.agentId, status: OPEN_STATUSES, queues: ['vip'] }, viewer.agentId)).toBe(false);
    expect(isOpenOf({ assigneeId: viewer.agentId }, viewer.agentId)).toBe(false);
  });

  it('statuses, queues, priorities and unassigned alone are a counter selection; anything else is counted in tickets', () => {
    expect(counterSelection(builtIn('unassigned-in-my-queues'))).toEqual({ statuses: OPEN_STATUSES, queues: ['billing', 'vip'], priorities: undefined, unassigned: true });
    expect(counterSelection(builtIn('waiting-on-customer'))).toEqual({ statuses: ['waiting_on_customer'], queues: undefined, priorities: undefined, unassigned: undefined });
    expect(counterSelection({ queues: ['vip'], priority: ['P1'], status: [] })).toEqual({ statuses: undefined, queues: ['vip'], priorities: ['P1'], unassigned: undefined });
    expect(counterSelection(builtIn('my-open'))).toBeNull();
    for (const other of [{ tags: ['outage'] }, { q: 'factura' }, { customerId: 'c' }, { category: 'billing' as const }, { queues: [''] }, { slaDueWithin: { from: new Date(), untilByPlan: [] } }]) {
      expect(counterSelection({ status: ['escalated'], ...other })).toBeNull();
    }
  });

  it('a selection sums the counter rows it holds (tickets without a queue are in no named queue)', () => {
    const rows: TicketCounterRow[] = [
      { queue: 'vip', status: 'triaged', priority: 'P1', unassigned: true, n: 3 },
      { queue: 'vip', status: 'escalated', priority: 'P2', unassigned: false, n: 5 },
      { queue: 'billing', status: 'closed', priority: 'P1', unassigned: true, n: 100 },
      { queue: 'technical', status: 'triaged', priority: 'P1', unassigned: true, n: 7 },
      { queue: '', status: 'new', priority: 'P3', unassigned: true, n: 11 },
    ];
    expect(countSelected(rows, counterSelection(builtIn('unassigned-in-my-queues'))!)).toBe(3);
    expect(countSelected(rows, counterSelection(builtIn('escalated'))!)).toBe(5);
    expect(countSelected(rows, counterSelection({ status: OPEN_STATUSES, assigneeId: null })!)).toBe(21);
    expect(countSelected(rows, counterSelection({ priority: ['P1'] })!)).toBe(110);
    expect(countSelected(rows, counterSelection({ queues: [] })!)).toBe(0);
  });
});
