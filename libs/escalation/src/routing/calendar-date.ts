const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks that `value` is a real calendar date written YYYY-MM-DD, so that two such strings
 * compare in date order with `<` / `<=`. Throws a RangeError naming `field` otherwise.
 */
export function assertCalendarDate(value: string, field: string): void {
  const match = CALENDAR_DATE.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return;
    }
  }
  throw new RangeError(`${field} must be a calendar date written YYYY-MM-DD, got "${value}"`);
}
