import { describe, expect, it, jest } from '@jest/globals';
import { BusinessCalendar } from './business-calendar';
import { PlanCalendars } from './plan-calendars';

const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' }));
const madrid = { id: 'plan-madrid', timezone: 'Europe/Madrid', businessHours: weekdays, holidays: ['2026-12-08'] };
const lima = { id: 'plan-lima', timezone: 'America/Lima', businessHours: weekdays, holidays: [] };
const unreadable = { id: 'plan-broken', timezone: 'Not/AZone', businessHours: weekdays, holidays: [] };

describe('PlanCalendars', () => {
  it('builds a plan’s calendar the first time it is asked for, once, and none for the plans nobody asks for', () => {
    const built = jest.fn((options: ConstructorParameters<typeof BusinessCalendar>[0]) => new BusinessCalendar(options));
    const Counting = function (options: ConstructorParameters<typeof BusinessCalendar>[0]) {
      return built(options);
    } as unknown as typeof BusinessCalendar;
    const calendars = new PlanCalendars(Counting, [madrid, lima]);
    expect(built).not.toHaveBeenCalled();

    const first = calendars.of('plan-madrid');
    expect(calendars.of('plan-madrid')).toBe(first);
    expect(built).toHaveBeenCalledTimes(1);
    expect(built).toHaveBeenCalledWith({ timezone: 'Europe/Madrid', businessHours: weekdays, holidays: ['2026-12-08'] });
    // Friday 17:00 → Monday 10:00 in Madrid: one business hour on Friday, one on Monday.
    expect(first?.businessMinutesBetween(new Date('2026-12-04T16:00:00.000Z'), new Date('2026-12-07T09:00:00.000Z'))).toBe(120);
  });

  it('has none before the calendar code is in, for a plan it does not know, or for a calendar it cannot read', () => {
    expect(new PlanCalendars(undefined, [madrid]).of('plan-madrid')).toBeNull();
    const calendars = new PlanCalendars(BusinessCalendar, [madrid, unreadable]);
    expect(calendars.of('plan-unknown')).toBeNull();
    expect(calendars.of('')).toBeNull();
    expect(calendars.of('plan-broken')).toBeNull();
    expect(calendars.of('plan-madrid')).not.toBeNull();
  });
});
