import { planHoursText } from './plan-hours';

const window = (day: number, start: string, end: string) => ({ day, start, end });

describe('planHoursText', () => {
  it('joins consecutive days with the same hours into a range, in each language', () => {
    const plan = { timezone: 'Europe/Madrid', businessHours: [1, 2, 3, 4, 5].map((d) => window(d, '09:00', '18:00')) };
    expect(planHoursText(plan, 'en')).toBe('Mon–Fri 09:00–18:00 (Europe/Madrid)');
    expect(planHoursText(plan, 'es')).toBe('lun–vie 09:00–18:00 (Europe/Madrid)');
  });

  it('keeps split days, two-day pairs and days with other hours apart', () => {
    const plan = {
      timezone: 'America/Bogota',
      businessHours: [window(2, '15:00', '18:00'), window(1, '09:00', '14:00'), window(1, '15:00', '18:00'), window(2, '09:00', '14:00'), window(6, '10:00', '13:00'), window(7, '10:00', '13:00'), window(4, '08:00', '12:00')],
    };
    expect(planHoursText(plan, 'en')).toBe('Mon and Tue 09:00–14:00, 15:00–18:00; Thu 08:00–12:00; Sat and Sun 10:00–13:00 (America/Bogota)');
    expect(planHoursText(plan, 'es')).toBe('lun y mar 09:00–14:00, 15:00–18:00; jue 08:00–12:00; sáb y dom 10:00–13:00 (America/Bogota)');
  });

  it('says round the clock for a plan without business hours', () => {
    expect(planHoursText({ timezone: 'UTC', businessHours: [] }, 'en')).toBe('24 hours, every day');
    expect(planHoursText({ timezone: 'UTC', businessHours: [] }, 'es')).toBe('24 horas, todos los días');
  });
});
