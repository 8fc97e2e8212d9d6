import { DateTime, IANAZone } from 'luxon';

/** One opening window on an ISO weekday (1 = Monday … 7 = Sunday), local wall-clock "HH:MM". */
export interface BusinessWindow {
  day: number;
  start: string;
  /** Exclusive; "24:00" means midnight at the end of `day`. */
  end: string;
}

export interface BusinessCalendarSpec {
  /** IANA zone the windows and holidays are read in, e.g. "Europe/Madrid". */
  timezone: string;
  /** An empty list means 24×7. */
  businessHours: BusinessWindow[];
  /** Local dates "YYYY-MM-DD" with no business time at all. */
  holidays: string[];
}

/** A deadline further than this many calendar days away is a configuration error, not an SLA. */
const MAX_DEADLINE_DAYS = 3 * 366;
/** Local dates whose resolved spans are memoised per calendar (about 11 years). */
const SPAN_CACHE_DAYS = 4096;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DATE_BUCKET_MS = 15 * MINUTE_MS;
const DAY_MINUTES = 24 * 60;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A half-open span of real time [start, end) in epoch milliseconds. */
type Span = readonly [start: number, end: number];
/** A window as minutes since local midnight, [start, end). */
type MinuteWindow = readonly [start: number, end: number];

function parseMinutes(value: string, allowMidnightEnd: boolean): number {
  if (allowMidnightEnd && value === '24:00') return DAY_MINUTES;
  const match = HH_MM.exec(value);
  if (!match) throw new Error(`Invalid business-hours time "${value}" (expected HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Business time of a support plan: weekly wall-clock windows and holidays, read in the plan's
 * time zone on each local date, so DST changes are honoured (a 09:00–17:00 window is always
 * 8 real hours; a 00:00–24:00 window is 23 or 25 real hours on the day the clocks change).
 *
 * Decision: a 24×7 plan (empty `businessHours`) still observes its holidays — a holiday has no
 * business time whatever the plan; a 24×7 plan with no holidays is plain elapsed time.
 *
 * Wall-clock boundaries that a DST change makes ambiguous resolve to "the first instant the local
 * clock reads that time or later": a time skipped by a spring-forward becomes the instant of the
 * jump, a time repeated by a fall-back its first occurrence. This keeps windows ordered and
 * non-overlapping in real time, and does not depend on Luxon's guess (which varies with today's
 * offset).
 */
export class BusinessCalendar {
  private readonly zone: string;
  /** ISO weekday (1–7) -> windows sorted by start. */
  private readonly windows = new Map<number, MinuteWindow[]>();
  private readonly holidays: ReadonlySet<string>;
  /** Local date (as UTC-midnight epoch ms) -> its resolved spans. */
  private readonly spanCache = new Map<number, readonly Span[]>();
  /** Quarter hour of real time (epoch ms / DATE_BUCKET_MS) -> its local date, see localDate. */
  private readonly dateBuckets = new Map<number, number>();

  constructor(spec: BusinessCalendarSpec) {
    if (!IANAZone.isValidZone(spec.timezone)) throw new Error(`Invalid time zone "${spec.timezone}"`);
    this.zone = spec.timezone;

    for (const holiday of spec.holidays) {
      if (!ISO_DATE.test(holiday) || !DateTime.fromISO(holiday, { zone: 'utc' }).isValid) {
        throw new Error(`Invalid holiday "${holiday}" (expected YYYY-MM-DD)`);
      }
    }
    this.holidays = new Set(spec.holidays);

    for (const window of spec.businessHours) {
      if (!Number.isInteger(window.day) || window.day < 1 || window.day > 7) {
        throw new Error(`Invalid business-hours day ${window.day} (expected 1–7)`);
      }
    }
    for (let day = 1; day <= 7; day++) {
      const windows: MinuteWindow[] =
        spec.businessHours.length === 0
          ? [[0, DAY_MINUTES]]
          : spec.businessHours
              .filter((window) => window.day === day)
              .map((window): MinuteWindow => [parseMinutes(window.start, false), parseMinutes(window.end, true)])
              .sort((a, b) => a[0] - b[0]);
      windows.forEach(([start, end], i) => {
        if (end <= start) throw new Error(`Empty business window on day ${day}`);
        if (i > 0 && start < windows[i - 1][1]) throw new Error(`Overlapping business windows on day ${day}`);
      });
      this.windows.set(day, windows);
    }
  }

  addBusinessMinutes(from: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0) throw new Error(`Invalid business minutes ${minutes}`);
    const start = instant(from);
    let remaining = Math.round(minutes * MINUTE_MS);
    let date = this.localDate(start);
    for (let i = 0; i <= MAX_DEADLINE_DAYS; i++, date += DAY_MS) {
      for (const [spanStart, spanEnd] of this.spansOn(date)) {
        if (spanEnd <= start) continue;
        const begin = Math.max(spanStart, start);
        // `<=`: a deadline may land exactly on a closing time; 0 minutes yields `begin` itself.
        if (remaining <= spanEnd - begin) return new Date(begin + remaining);
        remaining -= spanEnd - begin;
      }
    }
    throw new Error(`No business deadline within ${MAX_DEADLINE_DAYS} days (calendar without business time?)`);
  }

  businessMinutesBetween(a: Date, b: Date): number {
    const from = instant(a);
    const to = instant(b);
    if (to <= from) return 0;
    let total = 0;
    // One day of margin after `to` (see isBusinessTime); spans outside [from, to) add nothing.
    const last = this.localDate(to) + DAY_MS;
    for (let date = this.localDate(from); date <= last; date += DAY_MS) {
      for (const [spanStart, spanEnd] of this.spansOn(date)) {
        total += Math.max(0, Math.min(spanEnd, to) - Math.max(spanStart, from));
      }
    }
    return total / MINUTE_MS;
  }

  /**
   * Whether `at` lies in business time. The SLA clock needs only deadlines and durations; this is
   * the spans read as a predicate, which the calendar's tests check them through.
   */
  isBusinessTime(at: Date): boolean {
    const t = instant(at);
    const date = this.localDate(t);
    // An instant always lies at or after its local date's first instant, but a fall-back that
    // crosses midnight could put it past the next date's first instant: look there too.
    return [date, date + DAY_MS].some((d) => this.spansOn(d).some(([start, end]) => start <= t && t < end));
  }

  /**
   * The local calendar date of an instant, as the epoch ms of that date's UTC midnight: a zone-free
   * date that steps to the next one by adding DAY_MS. Memoised per quarter hour of real time when
   * the zone's offset and the local date are the same at both ends of it (then they are the same
   * all through it): tickets arrive close together, and Luxon needs tens of microseconds per zone
   * lookup.
   */
  private localDate(ms: number): number {
    const bucket = Math.floor(ms / DATE_BUCKET_MS);
    const cached = this.dateBuckets.get(bucket);
    if (cached !== undefined) return cached;
    const first = DateTime.fromMillis(bucket * DATE_BUCKET_MS, { zone: this.zone });
    const last = DateTime.fromMillis((bucket + 1) * DATE_BUCKET_MS - 1, { zone: this.zone });
    const date = (local: DateTime) => Date.UTC(local.year, local.month - 1, local.day);
    if (first.offset !== last.offset || date(first) !== date(last)) return date(DateTime.fromMillis(ms, { zone: this.zone }));
    if (this.dateBuckets.size >= SPAN_CACHE_DAYS) this.dateBuckets.clear();
    this.dateBuckets.set(bucket, date(first));
    return date(first);
  }

  /** Business time on one local date (see localDate), as ordered, non-overlapping real-time spans (memoised). */
  private spansOn(key: number): readonly Span[] {
    const cached = this.spanCache.get(key);
    if (cached) return cached;
    const date = DateTime.fromMillis(key, { zone: 'utc' });
    const spans = this.holidays.has(date.toISODate() ?? '')
      ? []
      : (this.windows.get(date.weekday) ?? [])
          .map(([start, end]): Span => [this.wallClock(date, start), this.wallClock(date, end)])
          .filter(([start, end]) => end > start); // a window inside a spring-forward gap is empty
    // Resolving wall-clock times through Luxon costs tens of microseconds each; a plan's
    // calendar is reused for many tickets, so keep a bounded memo of resolved dates.
    if (this.spanCache.size >= SPAN_CACHE_DAYS) this.spanCache.clear();
    this.spanCache.set(key, spans);
    return spans;
  }

  /** The first instant at which the local clock reads `minuteOfDay` (0–1440) or later on `date`. */
  private wallClock(date: DateTime, minuteOfDay: number): number {
    if (minuteOfDay === DAY_MINUTES) return this.wallClock(date.plus({ days: 1 }), 0);
    const hour = Math.floor(minuteOfDay / 60);
    const minute = minuteOfDay % 60;
    const local = DateTime.fromObject(
      { year: date.year, month: date.month, day: date.day, hour, minute },
      { zone: this.zone },
    );
    if (local.hour === hour && local.minute === minute) {
      // The time exists; in a fall-back it exists twice: take the earlier occurrence.
      return Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
    }
    // Skipped by a spring-forward: Luxon moved it forward by the gap, so the jump lies in the
    // preceding gap-length of real time. Bisect for the first instant on the new offset.
    const gapMs = (local.offset - local.minus({ days: 1 }).offset) * MINUTE_MS;
    let before = local.toMillis() - gapMs;
    let after = local.toMillis();
    while (after - before > 1) {
      const mid = Math.floor((before + after) / 2);
      if (DateTime.fromMillis(mid, { zone: this.zone }).offset === local.offset) after = mid;
      else before = mid;
    }
    return after;
  }
}

function instant(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new Error('Invalid date');
  return ms;
}
