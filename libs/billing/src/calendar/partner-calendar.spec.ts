import { addDays, daysBetween, isLocalDate, isTimeZone, localDate, startOfLocalDay } from './partner-calendar';

describe('partner calendar', () => {
  it('reads the local date of an instant in the partner time zone', () => {
    const at = new Date('2026-12-15T23:30:00Z');
    expect(localDate(at, 'UTC')).toBe('2026-12-15');
    expect(localDate(at, 'Europe/Madrid')).toBe('2026-12-16');
    expect(localDate(at, 'America/New_York')).toBe('2026-12-15');
  });

  it('starts a local day at its own midnight, also on a DST change', () => {
    expect(startOfLocalDay('2026-12-16', 'Europe/Madrid').toISOString()).toBe('2026-12-15T23:00:00.000Z');
    expect(startOfLocalDay('2026-07-16', 'Europe/Madrid').toISOString()).toBe('2026-07-15T22:00:00.000Z');
    // Spring forward in Madrid happens at 02:00; the day still starts at 00:00 local (+01:00).
    expect(startOfLocalDay('2026-03-29', 'Europe/Madrid').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-12-16', 'America/New_York').toISOString()).toBe('2026-12-16T05:00:00.000Z');
  });

  it('counts and adds whole days across months and leap years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 30)).toBe('2027-01-30');
    expect(daysBetween('2026-12-01', '2026-12-31')).toBe(30);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('validates dates and zones', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-00-10')).toBe(false);
    expect(isLocalDate('0000-01-01')).toBe(false);
    expect(isTimeZone('Europe/Madrid')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
