import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar dates (YYYY-MM-DD) in the partner's time zone. Invoices fall due on a date, and a step
 * "N days after due" is due from the start (00:00) of that local date.
 */
export type LocalDate = string;

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export const isLocalDate = (text: string): boolean => ISO_DATE.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;

/** The date in `zone` at the instant `at`. */
export const localDate = (at: Date, zone: string): LocalDate => DateTime.fromJSDate(at, { zone }).toISODate()!;

/** 00:00 of `date` in `zone` (the first instant of that day, also across a DST change). */
export const startOfLocalDay = (date: LocalDate, zone: string): Date => DateTime.fromISO(date, { zone }).startOf('day').toJSDate();

export const addDays = (date: LocalDate, days: number): LocalDate => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
