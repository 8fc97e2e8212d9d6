import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar } from './business-calendar';
import { slaState } from './sla';

// Madrid, Monday to Friday 09:00–18:00; Tuesday 8 December 2026 is a holiday. Madrid is UTC+1 in December.
const madrid = new BusinessCalendar({
  timezone: 'Europe/Madrid',
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: ['2026-12-08'],
});
const at = (iso: string) => Date.parse(iso);
const HOUR = 60;

/**
 * A P3 ticket (4 business hours to the first response) filed on Friday 4 December at 17:00 in Madrid:
 * one business hour on Friday, three on Monday, so due Monday 12:00; the monitor warns after 3 hours
 * of business time, on Monday at 11:00. The due and warn times are what triage stores and the API returns.
 */
const friday = {
  status: 'triaged' as const,
  sla: {
    firstResponseDueAt: '2026-12-07T11:00:00.000Z',
    firstResponseWarnAt: '2026-12-07T10:00:00.000Z',
    resolutionDueAt: '2026-12-09T13:00:00.000Z',
    resolutionWarnAt: '2026-12-09T09:00:00.000Z',
    firstRespondedAt: null,
    pausedSince: null,
    breached: { firstResponse: false, resolution: false },
  },
};

describe('slaState', () => {
  it('the API computed these due and warn times with the same calendar', () => {
    const created = new Date('2026-12-04T16:00:00.000Z');
    expect(madrid.addBusinessMinutes(created, 4 * HOUR).toISOString()).toBe(friday.sla.firstResponseDueAt);
    expect(madrid.addBusinessMinutes(created, 3 * HOUR).toISOString()).toBe(friday.sla.firstResponseWarnAt);
  });

  it('counts down business time: over the weekend the clock stands still and the ticket is not at risk', () => {
    const saturday = slaState(friday, at('2026-12-05T10:00:00.000Z'), madrid);
    const sunday = slaState(friday, at('2026-12-06T20:00:00.000Z'), madrid);
    expect(sunday).toEqual({ level: 'ok', target: 'firstResponse', dueAt: friday.sla.firstResponseDueAt, remainingMs: 15 * 3_600_000, businessMinutesLeft: 3 * HOUR });
    expect(saturday.businessMinutesLeft).toBe(3 * HOUR);
    expect(saturday.level).toBe('ok');
    // Monday 09:30 in Madrid: the clock runs again.
    expect(slaState(friday, at('2026-12-07T08:30:00.000Z'), madrid).businessMinutesLeft).toBe(2.5 * HOUR);
  });

  it('is at risk from the warn time the API gives (75 % of the business time), not before', () => {
    expect(slaState(friday, at('2026-12-07T09:59:59.000Z'), madrid).level).toBe('ok');
    const warned = slaState(friday, at('2026-12-07T10:00:00.000Z'), madrid);
    expect(warned).toMatchObject({ level: 'warning', businessMinutesLeft: HOUR });
    // Wall-clock 75 % of Friday 17:00 → Monday 12:00 was Sunday afternoon: no colour then.
    expect(slaState(friday, at('2026-12-06T15:00:00.000Z'), madrid).level).toBe('ok');
  });

  it('skips a holiday: Monday 16:00 plus 4 business hours is Wednesday 11:00, with Tuesday the 8th closed', () => {
    const created = new Date('2026-12-07T15:00:00.000Z');
    const due = madrid.addBusinessMinutes(created, 4 * HOUR).toISOString();
    expect(due).toBe('2026-12-09T10:00:00.000Z');
    const ticket = { ...friday, sla: { ...friday.sla, firstResponseDueAt: due, firstResponseWarnAt: madrid.addBusinessMinutes(created, 3 * HOUR).toISOString() } };
    // All through the holiday, two business hours are left.
    expect(slaState(ticket, at('2026-12-08T08:00:00.000Z'), madrid)).toMatchObject({ level: 'ok', businessMinutesLeft: 2 * HOUR });
    expect(slaState(ticket, at('2026-12-08T16:00:00.000Z'), madrid)).toMatchObject({ level: 'ok', businessMinutesLeft: 2 * HOUR });
    expect(slaState(ticket, at('2026-12-09T09:00:00.000Z'), madrid)).toMatchObject({ level: 'warning', businessMinutesLeft: HOUR });
  });

  it('is breached once the due time passes or the API says so', () => {
    expect(slaState(friday, at('2026-12-07T11:00:00.000Z'), madrid)).toMatchObject({ level: 'breached', remainingMs: 0, businessMinutesLeft: 0 });
    const flagged = { ...friday, sla: { ...friday.sla, breached: { firstResponse: true, resolution: false } } };
    expect(slaState(flagged, at('2026-12-06T10:00:00.000Z'), madrid).level).toBe('breached');
  });

  it('moves to the resolution target and its warn time after the first response', () => {
    const responded = { ...friday, sla: { ...friday.sla, firstRespondedAt: '2026-12-07T09:00:00.000Z' } };
    const state = slaState(responded, at('2026-12-07T11:00:00.000Z'), madrid);
    // Monday 12:00 → Wednesday 14:00 in Madrid: 6 h on Monday, none on the holiday, 5 h on Wednesday.
    expect(state).toMatchObject({ level: 'ok', target: 'resolution', dueAt: friday.sla.resolutionDueAt, businessMinutesLeft: 11 * HOUR });
    expect(slaState(responded, at('2026-12-09T09:00:00.000Z'), madrid).level).toBe('warning');
  });

  it('shows a paused clock while the ticket waits on the customer, even past the warn time', () => {
    const paused = { ...friday, status: 'waiting_on_customer' as const, sla: { ...friday.sla, pausedSince: '2026-12-07T09:00:00.000Z' } };
    expect(slaState(paused, at('2026-12-07T10:30:00.000Z'), madrid).level).toBe('paused');
  });

  it('has nothing to count for a closed ticket or one not yet triaged; a closed late one stays breached', () => {
    expect(slaState({ ...friday, status: 'resolved' }, at('2026-12-07T12:00:00.000Z'), madrid).level).toBe('done');
    const late = { ...friday, status: 'closed' as const, sla: { ...friday.sla, breached: { firstResponse: true, resolution: true } } };
    expect(slaState(late, at('2026-12-10T12:00:00.000Z'), madrid).level).toBe('breached');
    const untriaged = { ...friday, status: 'new' as const, sla: { ...friday.sla, firstResponseDueAt: null, firstResponseWarnAt: null, resolutionDueAt: null, resolutionWarnAt: null } };
    expect(slaState(untriaged, at('2026-12-04T16:01:00.000Z'), madrid).level).toBe('none');
  });

  it('colours by the warn time before the calendar has loaded, and has no business countdown then', () => {
    expect(slaState(friday, at('2026-12-07T10:30:00.000Z'), null)).toMatchObject({ level: 'warning', businessMinutesLeft: null, remainingMs: 30 * 60_000 });
  });
});
