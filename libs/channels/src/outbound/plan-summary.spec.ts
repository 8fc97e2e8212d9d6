import { planSummary } from './plan-summary';

const plan = {
  name: 'Gold',
  timezone: 'Europe/Madrid',
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: ['2027-03-01', '2026-12-25', '2026-12-01', '2026-12-08', '2027-01-01', '2027-01-06', '2026-12-24', '2026-12-31'],
  targets: {
    P1: { firstResponseMinutes: 30, resolutionMinutes: 240 },
    P2: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    P3: { firstResponseMinutes: 90, resolutionMinutes: 1590 },
    P4: { firstResponseMinutes: 0, resolutionMinutes: 2880 },
  },
};
const now = new Date('2026-12-05T10:00:00Z');

describe('planSummary', () => {
  it('words the hours and the targets of the priority in the locale, through Intl', () => {
    expect(planSummary(plan, 'P3', 'en', now)).toMatchObject({
      planName: 'Gold',
      hours: 'Mon–Fri 09:00–18:00 (Europe/Madrid)',
      firstResponse: '1 hour and 30 minutes',
      resolution: '26 hours and 30 minutes',
      businessTime: true,
    });
    expect(planSummary(plan, 'P1', 'es', now)).toMatchObject({ hours: 'lun–vie 09:00–18:00 (Europe/Madrid)', firstResponse: '30 minutos', resolution: '4 horas' });
    expect(planSummary(plan, 'P4', 'en', now).firstResponse).toBe('0 minutes');
  });

  it('tells the next holidays only (none past, none beyond 60 days, at most five), in date order', () => {
    expect(planSummary(plan, 'P3', 'en', now).holidays).toEqual(['December 8, 2026', 'December 24, 2026', 'December 25, 2026', 'December 31, 2026', 'January 1, 2027']);
    expect(planSummary(plan, 'P3', 'es', now).holidays[0]).toBe('8 de diciembre de 2026');
    expect(planSummary({ ...plan, holidays: ['2026-01-01'] }, 'P3', 'en', now).holidays).toEqual([]);
  });

  it('counts round the clock on a plan without business hours', () => {
    const allDay = planSummary({ ...plan, businessHours: [] }, 'P2', 'en', now);
    expect(allDay).toMatchObject({ hours: '24 hours, every day', businessTime: false });
  });
});

describe('planSummary made again', () => {
  it('is the same summary for the same plan, priority, locale and minute, and a copy the caller may change', () => {
    const first = planSummary(plan, 'P2', 'en', now);
    first.holidays.push('changed by the caller');
    first.hours = 'changed';
    expect(planSummary(plan, 'P2', 'en', new Date(now.getTime() + 30_000))).toEqual({ ...first, hours: 'Mon–Fri 09:00–18:00 (Europe/Madrid)', holidays: first.holidays.slice(0, -1) });
  });

  it('follows an edited plan, another locale or priority, and the plan’s date as it changes', () => {
    expect(planSummary(plan, 'P2', 'en', now).firstResponse).toBe('1 hour');
    expect(planSummary({ ...plan, targets: { ...plan.targets, P2: { firstResponseMinutes: 120, resolutionMinutes: 480 } } }, 'P2', 'en', now).firstResponse).toBe('2 hours');
    expect(planSummary({ ...plan, name: 'Silver' }, 'P2', 'en', now).planName).toBe('Silver');
    expect(planSummary({ ...plan, timezone: 'America/Mexico_City' }, 'P2', 'en', now).hours).toBe('Mon–Fri 09:00–18:00 (America/Mexico_City)');
    expect(planSummary(plan, 'P2', 'es', now).firstResponse).toBe('1 hora');
    expect(planSummary(plan, 'P1', 'en', now).firstResponse).toBe('30 minutes');
    // 8 December passes in Madrid at 23:00 UTC: the next minute's summary no longer tells it.
    expect(planSummary(plan, 'P2', 'en', new Date('2026-12-08T22:59:30Z')).holidays[0]).toBe('December 8, 2026');
    expect(planSummary(plan, 'P2', 'en', new Date('2026-12-08T23:00:10Z')).holidays[0]).toBe('December 24, 2026');
  });
});
