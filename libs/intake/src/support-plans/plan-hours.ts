import type { Locale } from '../customers/customer-locale.service';
import type { BusinessWindow, SupportPlan } from './support-plan.entity';

const WORDS: Record<Locale, { allDay: string; days: string[]; and: string }> = {
  es: { allDay: '24 horas, todos los días', days: ['lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'], and: 'y' },
  en: { allDay: '24 hours, every day', days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], and: 'and' },
};

/**
 * A plan's hours of service as a customer reads them, e.g. `Mon–Fri 09:00–18:00 (Europe/Madrid)`
 * or `lun–vie 09:00–14:00, 15:00–18:00; sáb 10:00–13:00 (Europe/Madrid)`: consecutive days with
 * the same hours are one range.
 */
export function planHoursText(plan: Pick<SupportPlan, 'businessHours' | 'timezone'>, locale: Locale): string {
  const words = WORDS[locale];
  if (plan.businessHours.length === 0) return words.allDay;
  const byDay = new Map<number, BusinessWindow[]>();
  for (const w of plan.businessHours) byDay.set(w.day, [...(byDay.get(w.day) ?? []), w]);
  const hoursOf = (day: number) =>
    (byDay.get(day) ?? [])
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((w) => `${w.start}–${w.end}`)
      .join(', ');
  const groups: Array<{ from: number; to: number; hours: string }> = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const hours = hoursOf(day);
    const last = groups.at(-1);
    if (last && last.to === day - 1 && last.hours === hours) last.to = day;
    else groups.push({ from: day, to: day, hours });
  }
  const dayName = (d: number) => words.days[d - 1];
  const range = (g: { from: number; to: number }) =>
    g.from === g.to ? dayName(g.from) : g.to === g.from + 1 ? `${dayName(g.from)} ${words.and} ${dayName(g.to)}` : `${dayName(g.from)}–${dayName(g.to)}`;
  return `${groups.map((g) => `${range(g)} ${g.hours}`).join('; ')} (${plan.timezone})`;
}
