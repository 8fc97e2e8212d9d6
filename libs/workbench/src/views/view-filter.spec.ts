import { ticketFilterFor } from './view-filter';

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
