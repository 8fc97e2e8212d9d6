import { CustomerPlanHooks, TicketHooks, TicketRow } from '@helpdesk/intake';
import { SlaClockService } from './sla-clock.service';

/** `affects` must agree with what beforeWrite adds: a change it calls unaffected skips the clock. */
describe('SlaClockService.affects', () => {
  const clock = new SlaClockService(new TicketHooks(), new CustomerPlanHooks());
  const started = new Date('2026-11-02T09:00:00Z');
  const row = (fields: Partial<TicketRow>): TicketRow =>
    ({ status: 'in_progress', priority: 'P3', sla_started_at: started, sla_paused_since: null, sla_paused_minutes: 0, ...fields }) as TicketRow;
  const affects = (before: Partial<TicketRow>, after: Partial<TicketRow>) => clock.affects({ before: row(before), after: row({ ...before, ...after }) });

  it('leaves escalating a running clock alone (the escalation path writes it in one statement)', () => {
    expect(affects({ status: 'in_progress' }, { status: 'escalated' })).toBe(false);
    expect(affects({ status: 'triaged' }, { status: 'escalated' })).toBe(false);
    expect(affects({ status: 'waiting_on_customer', sla_started_at: null }, { status: 'escalated' })).toBe(false);
  });

  it('has work when the clock resumes, pauses, stops, restarts or is recomputed', () => {
    expect(affects({ status: 'waiting_on_customer', sla_paused_since: started }, { status: 'escalated' })).toBe(true);
    expect(affects({ status: 'in_progress' }, { status: 'waiting_on_customer' })).toBe(true);
    expect(affects({ status: 'in_progress' }, { status: 'resolved' })).toBe(true);
    expect(affects({ status: 'resolved' }, { status: 'in_progress' })).toBe(true);
    expect(affects({ priority: 'P3' }, { priority: 'P1' })).toBe(true);
  });

  it('has nothing to do for a change that touches no clock field', () => {
    expect(affects({ status: 'resolved' }, { status: 'closed' })).toBe(false);
    expect(affects({ priority: 'P2', sla_started_at: null }, { priority: 'P1' })).toBe(false);
    expect(affects({}, { queue: 'billing' } as Partial<TicketRow>)).toBe(false);
  });
});
