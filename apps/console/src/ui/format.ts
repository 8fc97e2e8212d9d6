import i18n from '../i18n/i18n';

/** One formatter per language: building an Intl formatter costs far more than using one (a timeline formats hundreds of times). */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** By language and zone (none: the browser's own). */
function dateTimeFormat(language: string, timeZone?: string): Intl.DateTimeFormat {
  const key = timeZone ? `${language} ${timeZone}` : language;
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone })));
  return format;
}

/**
 * Dates and durations in the user's language (Intl), never hand-formatted; dates in `zone`, the
 * browser's own unless told (a page the server drew: ui/time-zone.ts's useTimeZone).
 */
export function formatDateTime(iso: string | null | undefined, zone?: string): string {
  if (!iso) return '—';
  return dateTimeFormat(i18n.language, zone).format(new Date(iso));
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date (YYYY-MM-DD: an invoice's due date) in the user's language, the same day wherever the browser is. */
export function formatDay(date: string | null | undefined): string {
  if (!date) return '—';
  let format = dayFormats.get(i18n.language);
  if (!format) dayFormats.set(i18n.language, (format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' })));
  return format.format(new Date(`${date}T00:00:00Z`));
}

const unitFormats = new Map<string, Intl.NumberFormat>();

/** One formatter per language and unit (an SLA countdown per row and in a ticket's header). */
function unitFormat(unit: 'minute' | 'hour' | 'day', language = i18n.language): Intl.NumberFormat {
  const key = `${language} ${unit}`;
  let format = unitFormats.get(key);
  if (!format) unitFormats.set(key, (format = new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'narrow' })));
  return format;
}

/**
 * `largest: 'hour'` for targets counted in business time, where "2 d" would read as two calendar
 * days although 48 business hours are about a working week.
 */
export function formatDuration(ms: number, largest: 'day' | 'hour' = 'day'): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const format = (value: number, unit: 'minute' | 'hour' | 'day') => unitFormat(unit).format(value);
  if (minutes < 60) return format(minutes, 'minute');
  if (minutes < 48 * 60 || largest === 'hour') {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest ? `${format(hours, 'hour')} ${format(rest, 'minute')}` : format(hours, 'hour');
  }
  return format(Math.round(minutes / 1440), 'day');
}

/**
 * Builds, for `language`, the formatters the inbox's rows and a ticket's header and timeline use first (a date and
 * time, the countdown's minutes, hours and days) and keeps them in the caches above, so that the first render only
 * uses them. Building them is most of what the renderer's first `Intl` call costs (loading ICU's data for the
 * language); the console calls this while the page's chunks and data are still on their way (app/warm-intl.ts).
 */
export function prepareFormats(language: string): void {
  for (const unit of ['minute', 'day'] as const) unitFormat(unit, language);
  // Formatting once too: the first use of a formatter also loads data its construction did not.
  dateTimeFormat(language).format(0);
  unitFormat('hour', language).format(1);
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(i18n.language, options).format(value);
}

/** How many decimals a currency's minor unit has (2 for EUR, 0 for JPY, 3 for KWD), as Intl knows it. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in integer minor units, in the user's language (4990 EUR → "49,90 €" in Spanish). */
export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(i18n.language, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
  } catch {
    return `${minor} ${currency}`;
  }
}

/** A decimal the user typed ("49.90" or "49,90") in minor units of the currency; NaN when it is no amount. */
export function toMinorUnits(text: string, currency: string): number {
  const digits = currencyDigits(currency);
  const match = /^\s*(\d{1,13})(?:[.,](\d+))?\s*$/.exec(text);
  if (!match || (match[2]?.length ?? 0) > digits) return Number.NaN;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

/** Minor units as the decimal the user edits (4990 EUR → "49.90"). */
export function fromMinorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(minor) : `${Math.floor(minor / 10 ** digits)}.${String(minor % 10 ** digits).padStart(digits, '0')}`;
}
