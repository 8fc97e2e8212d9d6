import i18n from '../i18n/i18n';

/** Dates and durations in the user's language (Intl), never hand-formatted. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const format = (value: number, unit: 'minute' | 'hour' | 'day') => new Intl.NumberFormat(i18n.language, { style: 'unit', unit, unitDisplay: 'narrow' }).format(value);
  if (minutes < 60) return format(minutes, 'minute');
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest ? `${format(hours, 'hour')} ${format(rest, 'minute')}` : format(hours, 'hour');
  }
  return format(Math.round(minutes / 1440), 'day');
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(i18n.language, options).format(value);
}
