import { DomainError } from '@helpdesk/http';
import { TICKET_STATUSES, TicketStatus } from './ticket-fields';
import { assertTransition, canTransition } from './ticket-status';

describe('ticket status machine', () => {
  const allowed: Array<[TicketStatus, TicketStatus]> = [
    ['new', 'triaged'],
    ['triaged', 'in_progress'],
    ['in_progress', 'waiting_on_customer'],
    ['waiting_on_customer', 'in_progress'],
    ['in_progress', 'resolved'],
    ['waiting_on_customer', 'resolved'],
    ['resolved', 'closed'],
    ['resolved', 'in_progress'],
    ['escalated', 'in_progress'],
    ['escalated', 'resolved'],
  ];

  it('allows exactly the documented manual transitions', () => {
    for (const from of TICKET_STATUSES) {
      for (const to of TICKET_STATUSES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('never lets a manual change escalate, but lets the system do it from open states', () => {
    expect(canTransition('in_progress', 'escalated')).toBe(false);
    expect(canTransition('in_progress', 'escalated', 'system')).toBe(true);
    expect(canTransition('resolved', 'escalated', 'system')).toBe(false);
    expect(canTransition('closed', 'escalated', 'system')).toBe(false);
  });

  it('names both states in the error', () => {
    try {
      assertTransition('closed', 'in_progress');
      throw new Error('expected a DomainError');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).message).toBe('A ticket cannot go from closed to in_progress');
      expect((e as DomainError).extensions).toMatchObject({ from: 'closed', to: 'in_progress', code: 'ticketTransition', params: { from: 'closed', to: 'in_progress', allowed: [] } });
    }
    // Where the ticket can go instead is a param too, for a screen to say.
    expect(() => assertTransition('triaged', 'resolved')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ params: { from: 'triaged', to: 'resolved', allowed: ['in_progress'] } }) }),
    );
  });
});
