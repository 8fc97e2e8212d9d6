import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar dates (YYYY-MM-DD) in the partner's time zone. Invoices fall due on a date, and a step
 * "N days after due" is due from the start (00:00) of that local date.
 */
export type LocalDate = string;

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Midnight UTC of a calendar date: plain date arithmetic, no time zone involved. */
const utc = (date: LocalDate): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const fromUtc = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isLocalDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const at = new Date(utc(text));
  return at.getUTCFullYear() === Number(match[1]) && at.getUTCMonth() + 1 === Number(match[2]) && at.getUTCDate() === Number(match[3]);
}

/** The date in `zone` at the instant `at`. */
export const localDate = (at: Date, zone: string): LocalDate => DateTime.fromJSDate(at, { zone }).toISODate()!;

/** 00:00 of `date` in `zone` (the first instant of that day, also across a DST change). */
export const startOfLocalDay = (date: LocalDate, zone: string): Date => DateTime.fromISO(date, { zone }).startOf('day').toJSDate();

export const addDays = (date: LocalDate, days: number): LocalDate => fromUtc(utc(date) + days * DAY_MS);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => Math.round((utc(to) - utc(from)) / DAY_MS);
