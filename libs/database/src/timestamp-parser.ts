import { types } from 'pg';

const pgParser: (text: string) => Date = types.getTypeParser(types.builtins.TIMESTAMPTZ);

const digit = (text: string, i: number): number => text.charCodeAt(i) - 48;

/** Whether `timestamptz` text has the shape PostgreSQL sends in a UTC session: `YYYY-MM-DD hh:mm:ss[.f{1,6}]+00`. */
function isUtcTimestamptz(text: string): boolean {
  const n = text.length;
  return (
    n >= 22 &&
    n <= 29 &&
    text.charCodeAt(n - 3) === 43 /* + */ &&
    text.charCodeAt(n - 2) === 48 &&
    text.charCodeAt(n - 1) === 48 &&
    text.charCodeAt(4) === 45 /* - */ &&
    text.charCodeAt(10) === 32 /* space */ &&
    (n === 22 || text.charCodeAt(19) === 46) /* . */
  );
}

/**
 * `timestamptz` text as PostgreSQL sends it in a UTC session — `2026-11-25 15:04:25.123456+00` —
 * to a Date without regular expressions: a list page parses eleven timestamps per ticket, and pg's
 * own parser shows in the API's CPU profile (bench/README.md, "List"). Any other shape (another session time zone,
 * BC, infinity, years before 100 or after 9999) goes to pg's parser, so the result never differs.
 */
export function parseTimestamptz(text: string): Date {
  const n = text.length;
  if (isUtcTimestamptz(text)) {
    const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
    if (year >= 100) {
      const fraction = n - 23; // digits after the point
      const ms = fraction <= 0 ? 0 : digit(text, 20) * 100 + (fraction >= 2 ? digit(text, 21) * 10 : 0) + (fraction >= 3 ? digit(text, 22) : 0);
      return new Date(
        Date.UTC(
          year,
          digit(text, 5) * 10 + digit(text, 6) - 1,
          digit(text, 8) * 10 + digit(text, 9),
          digit(text, 11) * 10 + digit(text, 12),
          digit(text, 14) * 10 + digit(text, 15),
          digit(text, 17) * 10 + digit(text, 18),
          ms,
        ),
      );
    }
  }
  return pgParser(text);
}

/** Process-wide, like pg's own parsers; idempotent. */
export function useFastTimestampParser(): void {
  types.setTypeParser(types.builtins.TIMESTAMPTZ, parseTimestamptz);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * `date.toISOString()` (`2026-11-25T15:04:25.123Z`), built in JavaScript: V8's own goes through C++
 * and a printf for each instant, ≈ 3× the time, and a list page formats ≈ 450 of them (bench/README.md,
 * "The ticket list at 10 connections"). Years outside 1000–9999 and invalid dates go to
 * `toISOString` itself (which throws for an invalid one), so the result never differs.
 */
export function instantText(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  return `${year}-${TWO_DIGITS[date.getUTCMonth() + 1]}-${TWO_DIGITS[date.getUTCDate()]}T${TWO_DIGITS[date.getUTCHours()]}:${TWO_DIGITS[date.getUTCMinutes()]}:${TWO_DIGITS[date.getUTCSeconds()]}.${THREE_DIGITS[date.getUTCMilliseconds()]}Z`;
}

const ISO_LENGTH = 24; // 2026-11-25T15:04:25.123Z

/**
 * `timestamptz` text as PostgreSQL sends it in a UTC session straight to the ISO text the API shows
 * (`toISOString`'s: milliseconds, the rest of the microseconds cut as pg's parser cuts them), with no
 * Date in between: a list page has ≈ 450 instants, each parsed into a Date and formatted back
 * (bench/README.md, "The ticket list at 10 connections"). Only years 1000–9999 (four digits, as
 * `toISOString` writes them); every other shape (another session time zone, BC, infinity, other
 * years) is pg's Date, which `instantView` then formats as before: the text shown never differs.
 */
export function timestamptzText(text: string): string | Date {
  const n = text.length;
  if (isUtcTimestamptz(text) && text.charCodeAt(0) !== 48 /* a year 1000–9999 */) {
    const fraction = n - 23; // digits after the point
    // One flat string of 24 characters, written at once: slices and `+` made ≈ 6 strings an instant
    // (short copies, then concatenations flattened again when read), ≈ 500 instants a list page.
    return String.fromCharCode(
      text.charCodeAt(0), text.charCodeAt(1), text.charCodeAt(2), text.charCodeAt(3), 45 /* - */, text.charCodeAt(5), text.charCodeAt(6), 45,
      text.charCodeAt(8), text.charCodeAt(9), 84 /* T */, text.charCodeAt(11), text.charCodeAt(12), 58 /* : */, text.charCodeAt(14), text.charCodeAt(15), 58,
      text.charCodeAt(17), text.charCodeAt(18), 46 /* . */, fraction >= 1 ? text.charCodeAt(20) : 48, fraction >= 2 ? text.charCodeAt(21) : 48, fraction >= 3 ? text.charCodeAt(22) : 48, 90 /* Z */,
    );
  }
  return pgParser(text);
}

/**
 * pg's types for a statement whose instants are only shown (TicketFinder's list pages): timestamptz
 * as `timestamptzText`, everything else as the process's own parsers.
 */
export const SHOWN_INSTANT_TYPES = {
  getTypeParser: (oid: number, format?: string): ((text: string) => unknown) =>
    oid === types.builtins.TIMESTAMPTZ ? timestamptzText : (types.getTypeParser(oid, format as 'text') as (text: string) => unknown),
};

/**
 * A row's instant as the API shows it: the ISO text `timestamptzText` gave as it is, a Date (or any
 * other text) formatted by `instantText`.
 */
export function instantView(value: Date | string): string {
  if (typeof value === 'string' && isInstantText(value)) return value;
  return instantText(value instanceof Date ? value : new Date(value));
}

/**
 * Whether a text has toISOString's form for years 0–9999 (`2026-11-25T15:04:25.123Z`, as
 * timestamptzText gives it): such texts sort as their instants do.
 */
export function isInstantText(value: string): boolean {
  return value.length === ISO_LENGTH && value.charCodeAt(10) === 84 /* T */ && value.charCodeAt(19) === 46 /* . */ && value.charCodeAt(23) === 90 /* Z */;
}
