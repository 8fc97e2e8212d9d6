import { DateTime, Settings } from 'luxon';
import { BusinessCalendar, type BusinessWindow } from './business-calendar';

// Inputs are written as local wall-clock times with their UTC offset; expectations are exact UTC
// ISO strings (with the local time in a comment), so the assertions do not depend on Luxon.
const MADRID = 'Europe/Madrid';
const NEW_YORK = 'America/New_York';
const MON_TO_FRI = [1, 2, 3, 4, 5];

function calendar(timezone: string, businessHours: BusinessWindow[], holidays: string[] = []): BusinessCalendar {
  return new BusinessCalendar({ timezone, businessHours, holidays });
}
function windows(days: number[], start: string, end: string): BusinessWindow[] {
  return days.map((day) => ({ day, start, end }));
}
function add(cal: BusinessCalendar, from: string, minutes: number): string {
  return cal.addBusinessMinutes(new Date(from), minutes).toISOString();
}
function between(cal: BusinessCalendar, a: string, b: string): number {
  return cal.businessMinutesBetween(new Date(a), new Date(b));
}
function isOpen(cal: BusinessCalendar, at: string): boolean {
  return cal.isBusinessTime(new Date(at));
}
function wallClock(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toISO() ?? 'invalid';
}

describe('BusinessCalendar', () => {
  describe('Mon–Fri 09:00–17:00 in Europe/Madrid (CET, +01:00, in early March 2026)', () => {
    const office = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'));

    it('carries a deadline over the weekend: Friday 16:30 + 60 min is Monday 09:30', () => {
      expect(add(office, '2026-03-06T16:30:00+01:00', 60)).toBe('2026-03-09T08:30:00.000Z'); // Mon 09:30
    });

    it('starts counting at opening time when started before opening', () => {
      expect(add(office, '2026-03-09T07:15:00+01:00', 30)).toBe('2026-03-09T08:30:00.000Z'); // Mon 09:30
    });

    it('starts counting the next business morning when started after closing', () => {
      expect(add(office, '2026-03-09T18:00:00+01:00', 30)).toBe('2026-03-10T08:30:00.000Z'); // Tue 09:30
    });

    it('starts counting on Monday when started on Saturday or late on Sunday', () => {
      expect(add(office, '2026-03-07T11:00:00+01:00', 30)).toBe('2026-03-09T08:30:00.000Z'); // Mon 09:30
      expect(add(office, '2026-03-08T23:59:00+01:00', 30)).toBe('2026-03-09T08:30:00.000Z'); // Mon 09:30
    });

    it('lands exactly on closing time when the minutes fill the day, and rolls over one minute later', () => {
      expect(add(office, '2026-03-09T16:00:00+01:00', 60)).toBe('2026-03-09T16:00:00.000Z'); // Mon 17:00
      expect(add(office, '2026-03-09T16:00:00+01:00', 61)).toBe('2026-03-10T08:01:00.000Z'); // Tue 09:01
    });

    it('counts a full business week as 2400 minutes', () => {
      expect(add(office, '2026-03-09T09:00:00+01:00', 2400)).toBe('2026-03-13T16:00:00.000Z'); // Fri 17:00
      expect(add(office, '2026-03-09T09:00:00+01:00', 2401)).toBe('2026-03-16T08:01:00.000Z'); // Mon 09:01
    });

    it('returns the first business instant at or after the start for 0 minutes', () => {
      expect(add(office, '2026-03-09T10:00:00+01:00', 0)).toBe('2026-03-09T09:00:00.000Z'); // itself
      expect(add(office, '2026-03-09T09:00:00+01:00', 0)).toBe('2026-03-09T08:00:00.000Z'); // itself (opening)
      expect(add(office, '2026-03-06T17:00:00+01:00', 0)).toBe('2026-03-09T08:00:00.000Z'); // Fri close -> Mon 09:00
      expect(add(office, '2026-03-07T12:00:00+01:00', 0)).toBe('2026-03-09T08:00:00.000Z'); // Sat -> Mon 09:00
    });

    it('keeps seconds and milliseconds of the start', () => {
      expect(add(office, '2026-03-09T09:00:30+01:00', 1)).toBe('2026-03-09T08:01:30.000Z'); // 09:01:30
      expect(add(office, '2026-03-06T16:59:30+01:00', 1)).toBe('2026-03-09T08:00:30.000Z'); // Mon 09:00:30
      expect(add(office, '2026-03-09T09:00:00.250+01:00', 0.5)).toBe('2026-03-09T08:00:30.250Z');
      expect(add(office, '2026-03-09T08:00:00+01:00', 1.5)).toBe('2026-03-09T08:01:30.000Z'); // 09:01:30
    });

    it('measures business minutes between two instants', () => {
      expect(between(office, '2026-03-06T16:30:00+01:00', '2026-03-09T09:30:00+01:00')).toBe(60);
      expect(between(office, '2026-03-09T08:00:00+01:00', '2026-03-09T18:00:00+01:00')).toBe(480);
      expect(between(office, '2026-03-09T00:00:00+01:00', '2026-03-16T00:00:00+01:00')).toBe(2400);
      expect(between(office, '2026-03-07T08:00:00+01:00', '2026-03-08T20:00:00+01:00')).toBe(0); // weekend
    });

    it('returns fractional minutes without rounding', () => {
      expect(between(office, '2026-03-09T09:00:00+01:00', '2026-03-09T09:00:30+01:00')).toBe(0.5);
      expect(between(office, '2026-03-09T16:59:59.999+01:00', '2026-03-09T18:00:00+01:00')).toBe(1 / 60_000);
    });

    it('returns 0 when b is not after a', () => {
      expect(between(office, '2026-03-09T12:00:00+01:00', '2026-03-09T12:00:00+01:00')).toBe(0);
      expect(between(office, '2026-03-09T12:00:00+01:00', '2026-03-09T10:00:00+01:00')).toBe(0);
    });

    it('treats opening as inside and closing as outside business time', () => {
      expect(isOpen(office, '2026-03-09T08:59:59.999+01:00')).toBe(false);
      expect(isOpen(office, '2026-03-09T09:00:00+01:00')).toBe(true);
      expect(isOpen(office, '2026-03-09T16:59:59.999+01:00')).toBe(true);
      expect(isOpen(office, '2026-03-09T17:00:00+01:00')).toBe(false);
      expect(isOpen(office, '2026-03-07T12:00:00+01:00')).toBe(false); // Saturday
    });
  });

  describe('several windows a day: 09:00–13:00 and 15:00–19:00 (listed out of order)', () => {
    const split = calendar(MADRID, [...windows(MON_TO_FRI, '15:00', '19:00'), ...windows(MON_TO_FRI, '09:00', '13:00')]);

    it('skips the lunch gap', () => {
      expect(add(split, '2026-03-09T12:30:00+01:00', 60)).toBe('2026-03-09T14:30:00.000Z'); // 15:30
      expect(add(split, '2026-03-09T14:00:00+01:00', 30)).toBe('2026-03-09T14:30:00.000Z'); // 15:30
      expect(add(split, '2026-03-09T13:00:00+01:00', 0)).toBe('2026-03-09T14:00:00.000Z'); // 15:00
    });

    it('fills a day with 480 minutes and continues next morning', () => {
      expect(add(split, '2026-03-09T09:00:00+01:00', 480)).toBe('2026-03-09T18:00:00.000Z'); // Mon 19:00
      expect(add(split, '2026-03-09T09:00:00+01:00', 481)).toBe('2026-03-10T08:01:00.000Z'); // Tue 09:01
      expect(add(split, '2026-03-06T18:30:00+01:00', 60)).toBe('2026-03-09T08:30:00.000Z'); // Fri -> Mon 09:30
    });

    it('measures across the gap', () => {
      expect(between(split, '2026-03-09T12:00:00+01:00', '2026-03-09T16:00:00+01:00')).toBe(120);
      expect(between(split, '2026-03-09T00:00:00+01:00', '2026-03-10T00:00:00+01:00')).toBe(480);
    });

    it('reports the gap as outside business time', () => {
      expect(isOpen(split, '2026-03-09T12:59:59.999+01:00')).toBe(true);
      expect(isOpen(split, '2026-03-09T13:00:00+01:00')).toBe(false);
      expect(isOpen(split, '2026-03-09T14:00:00+01:00')).toBe(false);
      expect(isOpen(split, '2026-03-09T15:00:00+01:00')).toBe(true);
      expect(isOpen(split, '2026-03-09T19:00:00+01:00')).toBe(false);
    });
  });

  describe('holidays', () => {
    it('skips a weekday holiday (Friday 2026-05-01, CEST +02:00)', () => {
      const cal = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'), ['2026-05-01']);
      expect(add(cal, '2026-04-30T16:30:00+02:00', 60)).toBe('2026-05-04T07:30:00.000Z'); // Mon 09:30
      expect(add(cal, '2026-05-01T10:00:00+02:00', 0)).toBe('2026-05-04T07:00:00.000Z'); // Mon 09:00
      expect(between(cal, '2026-04-30T16:30:00+02:00', '2026-05-04T09:30:00+02:00')).toBe(60);
      expect(isOpen(cal, '2026-05-01T12:00:00+02:00')).toBe(false);
      expect(isOpen(cal, '2026-04-30T12:00:00+02:00')).toBe(true);
    });

    it('skips consecutive holidays, also across a weekend', () => {
      const xmas = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'), ['2026-12-25', '2026-12-24']);
      expect(add(xmas, '2026-12-23T16:00:00+01:00', 120)).toBe('2026-12-28T09:00:00.000Z'); // Mon 28 10:00
      const long = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'), ['2026-12-24', '2026-12-25', '2026-12-28']);
      expect(add(long, '2026-12-23T16:00:00+01:00', 120)).toBe('2026-12-29T09:00:00.000Z'); // Tue 29 10:00
      expect(between(long, '2026-12-23T00:00:00+01:00', '2026-12-30T00:00:00+01:00')).toBe(960); // Wed + Tue
    });

    it('applies holidays to a 24×7 plan too', () => {
      const allDay = calendar(MADRID, [], ['2026-12-25']);
      expect(add(allDay, '2026-12-24T23:00:00+01:00', 120)).toBe('2026-12-26T00:00:00.000Z'); // 26th 01:00
      expect(add(allDay, '2026-12-25T12:00:00+01:00', 0)).toBe('2026-12-25T23:00:00.000Z'); // 26th 00:00
      expect(between(allDay, '2026-12-24T00:00:00+01:00', '2026-12-27T00:00:00+01:00')).toBe(2 * 1440);
      expect(isOpen(allDay, '2026-12-24T23:59:59.999+01:00')).toBe(true);
      expect(isOpen(allDay, '2026-12-25T00:00:00+01:00')).toBe(false);
      expect(isOpen(allDay, '2026-12-25T12:00:00+01:00')).toBe(false);
      expect(isOpen(allDay, '2026-12-26T00:00:00+01:00')).toBe(true);
    });

    it('reads holidays as local dates in the plan zone', () => {
      // 2026-05-01 00:30 in Madrid is still April 30 in UTC; it is a holiday nonetheless.
      const allDay = calendar(MADRID, [], ['2026-05-01']);
      expect(isOpen(allDay, '2026-04-30T22:30:00.000Z')).toBe(false);
      expect(isOpen(allDay, '2026-04-30T21:59:59.999Z')).toBe(true);
    });
  });

  describe('a window ending at 24:00 and one starting at 00:00 the next day', () => {
    // Night shift: Monday 20:00–24:00, Tuesday 00:00–06:00.
    const night = calendar(MADRID, [
      { day: 1, start: '20:00', end: '24:00' },
      { day: 2, start: '00:00', end: '06:00' },
    ]);

    it('counts through midnight as continuous time', () => {
      expect(add(night, '2026-03-09T23:30:00+01:00', 60)).toBe('2026-03-09T23:30:00.000Z'); // Tue 00:30
      expect(add(night, '2026-03-09T20:00:00+01:00', 240)).toBe('2026-03-09T23:00:00.000Z'); // Tue 00:00
      expect(add(night, '2026-03-09T20:00:00+01:00', 600)).toBe('2026-03-10T05:00:00.000Z'); // Tue 06:00
      expect(add(night, '2026-03-09T20:00:00+01:00', 601)).toBe('2026-03-16T19:01:00.000Z'); // next Mon 20:01
      expect(add(night, '2026-03-10T00:00:00+01:00', 0)).toBe('2026-03-09T23:00:00.000Z'); // itself
      expect(between(night, '2026-03-09T22:00:00+01:00', '2026-03-10T02:00:00+01:00')).toBe(240);
    });

    it('is open at midnight and closed at 06:00', () => {
      expect(isOpen(night, '2026-03-09T19:59:59.999+01:00')).toBe(false);
      expect(isOpen(night, '2026-03-09T23:59:59.999+01:00')).toBe(true);
      expect(isOpen(night, '2026-03-10T00:00:00+01:00')).toBe(true);
      expect(isOpen(night, '2026-03-10T05:59:59.999+01:00')).toBe(true);
      expect(isOpen(night, '2026-03-10T06:00:00+01:00')).toBe(false);
    });
  });

  describe('DST in Europe/Madrid (2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00)', () => {
    const office = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'));
    const everyDay = calendar(MADRID, windows([1, 2, 3, 4, 5, 6, 7], '09:00', '17:00'));
    const allDay = calendar(MADRID, []);

    it('keeps business hours on local wall-clock time across the weekend of the change', () => {
      expect(add(office, '2026-03-27T16:00:00+01:00', 120)).toBe('2026-03-30T08:00:00.000Z'); // Mon 10:00+02
      expect(add(office, '2026-10-23T16:00:00+02:00', 120)).toBe('2026-10-26T09:00:00.000Z'); // Mon 10:00+01
      expect(between(office, '2026-03-27T09:00:00+01:00', '2026-03-30T17:00:00+02:00')).toBe(960);
      expect(between(office, '2026-10-23T09:00:00+02:00', '2026-10-26T17:00:00+01:00')).toBe(960);
    });

    it('keeps a 09:00–17:00 window at 8 real hours on the change day itself', () => {
      expect(add(everyDay, '2026-03-28T16:00:00+01:00', 120)).toBe('2026-03-29T08:00:00.000Z'); // Sun 10:00+02
      expect(add(everyDay, '2026-10-24T16:00:00+02:00', 120)).toBe('2026-10-25T09:00:00.000Z'); // Sun 10:00+01
      expect(between(everyDay, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(480);
      expect(between(everyDay, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(480);
    });

    it('runs a 24×7 clock on elapsed time: 24 h after Saturday 12:00 is Sunday 13:00 (spring forward)', () => {
      const deadline = add(allDay, '2026-03-28T12:00:00+01:00', 24 * 60);
      expect(deadline).toBe('2026-03-29T11:00:00.000Z');
      expect(wallClock(deadline, MADRID)).toBe('2026-03-29T13:00:00.000+02:00');
    });

    it('runs a 24×7 clock on elapsed time: 24 h after Saturday 12:00 is Sunday 11:00 (fall back)', () => {
      const deadline = add(allDay, '2026-10-24T12:00:00+02:00', 24 * 60);
      expect(deadline).toBe('2026-10-25T10:00:00.000Z');
      expect(wallClock(deadline, MADRID)).toBe('2026-10-25T11:00:00.000+01:00');
    });

    it('counts the change day as 23 and 25 hours on a 24×7 plan', () => {
      expect(between(allDay, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * 60);
      expect(between(allDay, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * 60);
    });

    it('counts a 00:00–24:00 Sunday window as 23 hours on the spring-forward day', () => {
      const sunday = calendar(MADRID, [{ day: 7, start: '00:00', end: '24:00' }]);
      expect(add(sunday, '2026-03-28T12:00:00+01:00', 1380)).toBe('2026-03-29T22:00:00.000Z'); // Mon 00:00+02
      expect(add(sunday, '2026-03-28T12:00:00+01:00', 1381)).toBe('2026-04-04T22:01:00.000Z'); // Sun 5th 00:01
      expect(between(sunday, '2026-10-24T00:00:00+02:00', '2026-10-27T00:00:00+01:00')).toBe(1500);
    });

    it('resolves a boundary skipped by the spring-forward to the instant of the jump', () => {
      // 02:30 does not exist on 2026-03-29; both windows meet at 03:00+02:00 (01:00Z) without overlap.
      const cal = calendar(MADRID, [
        { day: 7, start: '01:00', end: '02:30' },
        { day: 7, start: '02:30', end: '05:00' },
      ]);
      expect(between(cal, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(180);
      expect(add(cal, '2026-03-29T00:00:00+01:00', 60)).toBe('2026-03-29T01:00:00.000Z'); // 03:00+02
      expect(add(cal, '2026-03-29T00:00:00+01:00', 90)).toBe('2026-03-29T01:30:00.000Z'); // 03:30+02
      expect(isOpen(cal, '2026-03-29T01:00:00.000Z')).toBe(true);
      expect(isOpen(cal, '2026-03-29T02:59:59.999Z')).toBe(true);
      expect(isOpen(cal, '2026-03-29T03:00:00.000Z')).toBe(false); // 05:00+02
    });

    it('has no business time in a window that lies entirely in the spring-forward gap', () => {
      const cal = calendar(MADRID, [{ day: 7, start: '02:00', end: '03:00' }]);
      expect(between(cal, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(0);
      expect(add(cal, '2026-03-28T12:00:00+01:00', 30)).toBe('2026-04-05T00:30:00.000Z'); // Sun 5th 02:30+02
    });

    it('resolves a boundary repeated by the fall-back to its first occurrence', () => {
      // 02:30 happens twice on 2026-10-25: first at +02:00 (00:30Z); 04:00+01:00 is 03:00Z.
      const cal = calendar(MADRID, [{ day: 7, start: '02:30', end: '04:00' }]);
      expect(between(cal, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(150);
      expect(between(cal, '2026-10-18T00:00:00+02:00', '2026-10-19T00:00:00+02:00')).toBe(90);
      expect(add(cal, '2026-10-25T00:00:00.000Z', 0)).toBe('2026-10-25T00:30:00.000Z');
      expect(add(cal, '2026-10-25T00:00:00.000Z', 150)).toBe('2026-10-25T03:00:00.000Z');
    });

    it('resolves repeated times the same way whatever the current season (Luxon guesses from "now")', () => {
      const realNow = Settings.now;
      try {
        for (const now of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) {
          Settings.now = () => Date.parse(now);
          const cal = calendar(MADRID, [{ day: 7, start: '02:30', end: '04:00' }]);
          expect(between(cal, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(150);
          const ny = calendar(NEW_YORK, [{ day: 7, start: '01:30', end: '03:00' }]); // 01:30 EDT -> 03:00 EST
          expect(between(ny, '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00')).toBe(150);
        }
      } finally {
        Settings.now = realNow;
      }
    });
  });

  describe('DST in America/New_York (2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00)', () => {
    const office = calendar(NEW_YORK, windows(MON_TO_FRI, '09:00', '17:00'));
    const allDay = calendar(NEW_YORK, []);
    const sundayNight = calendar(NEW_YORK, [{ day: 7, start: '00:00', end: '06:00' }]);

    it('keeps business hours on local wall-clock time across the weekend of the change', () => {
      expect(add(office, '2026-03-06T16:00:00-05:00', 120)).toBe('2026-03-09T14:00:00.000Z'); // Mon 10:00-04
      expect(add(office, '2026-10-30T16:00:00-04:00', 120)).toBe('2026-11-02T15:00:00.000Z'); // Mon 10:00-05
    });

    it('counts a window containing the change in real time (5 h and 7 h for 00:00–06:00)', () => {
      expect(between(sundayNight, '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00')).toBe(300);
      expect(between(sundayNight, '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00')).toBe(420);
      const spring = add(sundayNight, '2026-03-08T00:00:00-05:00', 180);
      expect(spring).toBe('2026-03-08T08:00:00.000Z');
      expect(wallClock(spring, NEW_YORK)).toBe('2026-03-08T04:00:00.000-04:00');
      const fall = add(sundayNight, '2026-11-01T00:00:00-04:00', 180);
      expect(fall).toBe('2026-11-01T07:00:00.000Z');
      expect(wallClock(fall, NEW_YORK)).toBe('2026-11-01T02:00:00.000-05:00');
    });

    it('runs a 24×7 clock on elapsed time across both changes', () => {
      const spring = add(allDay, '2026-03-07T12:00:00-05:00', 24 * 60);
      expect(spring).toBe('2026-03-08T17:00:00.000Z');
      expect(wallClock(spring, NEW_YORK)).toBe('2026-03-08T13:00:00.000-04:00');
      const fall = add(allDay, '2026-10-31T12:00:00-04:00', 24 * 60);
      expect(fall).toBe('2026-11-01T16:00:00.000Z');
      expect(wallClock(fall, NEW_YORK)).toBe('2026-11-01T11:00:00.000-05:00');
      expect(between(allDay, '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00')).toBe(23 * 60);
      expect(between(allDay, '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00')).toBe(25 * 60);
    });
  });

  describe('DST at midnight in America/Santiago (2026-04-05 00:00 back to 04-04 23:00; 2026-09-06 00:00 on to 01:00)', () => {
    it('counts the repeated hour before midnight in a window ending at 24:00', () => {
      // Saturday 22:00-03:00 (01:00Z) until Sunday 00:00-04:00 (04:00Z): 23:00–24:00 happens twice.
      const cal = calendar('America/Santiago', [{ day: 6, start: '22:00', end: '24:00' }]);
      expect(between(cal, '2026-04-04T00:00:00-03:00', '2026-04-05T00:00:00-04:00')).toBe(180);
      expect(isOpen(cal, '2026-04-05T03:30:00.000Z')).toBe(true); // the second 23:30, -04:00
      expect(isOpen(cal, '2026-04-05T04:00:00.000Z')).toBe(false); // Sunday 00:00-04:00
      expect(add(cal, '2026-04-04T22:00:00-03:00', 180)).toBe('2026-04-05T04:00:00.000Z');
    });

    it('starts a day whose midnight does not exist at the jump (01:00-03:00)', () => {
      const cal = calendar('America/Santiago', [{ day: 7, start: '00:00', end: '02:00' }]);
      expect(between(cal, '2026-09-05T12:00:00-04:00', '2026-09-06T12:00:00-03:00')).toBe(60);
      expect(add(cal, '2026-09-05T12:00:00-04:00', 0)).toBe('2026-09-06T04:00:00.000Z'); // 01:00-03:00
      expect(isOpen(cal, '2026-09-06T03:59:59.999Z')).toBe(false); // Saturday 23:59:59.999-04:00
    });
  });

  describe('large targets', () => {
    it('computes a 30-day business-minute target (43,200 min = 90 business days) both ways', () => {
      const office = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'));
      // 18 full weeks from Monday 2026-01-05 09:00+01:00 end on Friday 2026-05-08 17:00+02:00.
      expect(add(office, '2026-01-05T09:00:00+01:00', 30 * 24 * 60)).toBe('2026-05-08T15:00:00.000Z');
      expect(between(office, '2026-01-05T09:00:00+01:00', '2026-05-08T17:00:00+02:00')).toBe(30 * 24 * 60);
    });

    it('computes 30 days on a 24×7 plan as 30 elapsed days, DST included', () => {
      const allDay = calendar(MADRID, []);
      expect(add(allDay, '2026-03-01T00:00:00+01:00', 30 * 24 * 60)).toBe('2026-03-30T23:00:00.000Z'); // 31st 01:00+02
    });

    it('measures ranges longer than the deadline bound', () => {
      const utc = calendar('UTC', []);
      expect(between(utc, '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toBe(1461 * 1440);
    });
  });

  describe('businessMinutesBetween is the inverse of addBusinessMinutes', () => {
    const office = calendar(MADRID, windows(MON_TO_FRI, '09:00', '17:00'), ['2026-05-01']);
    const split = calendar(MADRID, [...windows(MON_TO_FRI, '09:00', '13:00'), ...windows(MON_TO_FRI, '15:00', '19:00')]);
    const allDay = calendar(NEW_YORK, [], ['2026-12-25']);
    const cases: Array<[string, BusinessCalendar, string, number]> = [
      ['over a weekend', office, '2026-03-06T16:30:00+01:00', 60],
      ['from Saturday', office, '2026-03-07T11:00:00+01:00', 45],
      ['with seconds', office, '2026-03-09T09:00:30+01:00', 1],
      ['fractional', office, '2026-03-09T09:00:00+01:00', 0.5],
      ['across the Madrid spring change', office, '2026-03-27T16:00:00+01:00', 120],
      ['across a holiday', office, '2026-04-30T16:30:00+02:00', 600],
      ['across the lunch gap', split, '2026-03-09T12:30:00+01:00', 60],
      ['24×7 across New York fall back', allDay, '2026-10-31T12:00:00-04:00', 1440],
      ['24×7 across a holiday', allDay, '2026-12-24T20:00:00-05:00', 600],
      ['30 business days', office, '2026-01-05T09:00:00+01:00', 43_200],
    ];

    it.each(cases)('%s: between(from, add(from, m)) === m', (_name, cal, from, minutes) => {
      const start = new Date(from);
      expect(cal.businessMinutesBetween(start, cal.addBusinessMinutes(start, minutes))).toBe(minutes);
    });

    it('add(a, between(a, b)) === b when b is business time', () => {
      const a = new Date('2026-03-06T16:30:00+01:00'); // Fri 16:30
      const b = new Date('2026-03-09T11:15:00+01:00'); // Mon 11:15
      expect(office.businessMinutesBetween(a, b)).toBe(165);
      expect(office.addBusinessMinutes(a, office.businessMinutesBetween(a, b)).toISOString()).toBe(b.toISOString());
      // Split plan: Fri 16:30–19:00 (150) + Mon 09:00–13:00 (240) + Mon 15:00–15:45:20 (45 min 20 s).
      const c = new Date('2026-03-09T15:45:20+01:00');
      const minutes = split.businessMinutesBetween(a, c);
      expect(minutes).toBe(26_120_000 / 60_000);
      expect(split.addBusinessMinutes(a, minutes).toISOString()).toBe(c.toISOString());
    });
  });

  describe('validation and guards', () => {
    it('throws on an invalid time zone', () => {
      expect(() => calendar('Mars/Olympus_Mons', [])).toThrow('Invalid time zone');
      expect(() => calendar('Europe/Madird', [])).toThrow('Invalid time zone');
    });

    it('throws on malformed or overlapping windows and malformed holidays', () => {
      expect(() => calendar(MADRID, [{ day: 1, start: '9:00', end: '17:00' }])).toThrow('Invalid business-hours time');
      expect(() => calendar(MADRID, [{ day: 1, start: '09:00', end: '24:30' }])).toThrow('Invalid business-hours time');
      expect(() => calendar(MADRID, [{ day: 1, start: '24:00', end: '24:00' }])).toThrow('Invalid business-hours time');
      expect(() => calendar(MADRID, [{ day: 1, start: '17:00', end: '09:00' }])).toThrow('Empty business window');
      expect(() => calendar(MADRID, [{ day: 0, start: '09:00', end: '17:00' }])).toThrow('Invalid business-hours day');
      expect(() => calendar(MADRID, [{ day: 8, start: '09:00', end: '17:00' }])).toThrow('Invalid business-hours day');
      expect(() =>
        calendar(MADRID, [
          { day: 1, start: '09:00', end: '13:00' },
          { day: 1, start: '12:00', end: '17:00' },
        ]),
      ).toThrow('Overlapping business windows');
      expect(() => calendar(MADRID, [], ['2026-02-30'])).toThrow('Invalid holiday');
      expect(() => calendar(MADRID, [], ['1/5/2026'])).toThrow('Invalid holiday');
    });

    it('throws on negative or non-finite minutes and invalid dates', () => {
      const allDay = calendar(MADRID, []);
      expect(() => allDay.addBusinessMinutes(new Date('2026-03-09T12:00:00Z'), -1)).toThrow('Invalid business minutes');
      expect(() => allDay.addBusinessMinutes(new Date('2026-03-09T12:00:00Z'), Number.NaN)).toThrow(
        'Invalid business minutes',
      );
      expect(() => allDay.addBusinessMinutes(new Date('nope'), 1)).toThrow('Invalid date');
      expect(() => allDay.isBusinessTime(new Date('nope'))).toThrow('Invalid date');
    });

    it('throws instead of looping when no business time exists within the bound', () => {
      const start = DateTime.utc(2026, 1, 1);
      const holidays = Array.from({ length: 4 * 366 }, (_, i) => start.plus({ days: i }).toISODate() ?? '');
      const never = calendar(MADRID, [], holidays);
      expect(() => never.addBusinessMinutes(new Date('2026-01-01T12:00:00+01:00'), 1)).toThrow('No business deadline');
      expect(between(never, '2026-01-01T00:00:00+01:00', '2029-01-01T00:00:00+01:00')).toBe(0);
    });
  });
});
