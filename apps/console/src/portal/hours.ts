import type { Schemas } from '../api/client';

type Window = Schemas['BusinessWindowDto'];

/** Weekly windows as one line per day that has any, in the user's language ("lunes: 09:00–14:00, 15:00–18:00"). */
export function weeklyHours(windows: readonly Window[], language: string): Array<{ day: string; spans: string }> {
  const dayName = (day: number) => new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
  const days = [...new Set(windows.map((w) => w.day))].sort((a, b) => a - b);
  return days.map((day) => ({
    day: dayName(day),
    spans: windows
      .filter((w) => w.day === day)
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((w) => `${w.start}–${w.end}`)
      .join(', '),
  }));
}
