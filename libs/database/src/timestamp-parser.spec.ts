import { types } from 'pg';
import { instantText, instantView, isInstantText, parseTimestamptz, SHOWN_INSTANT_TYPES, timestamptzText } from './timestamp-parser';

const pgParser = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date | number | null;

const FIRST_OF_1000 = Date.UTC(1000, 0, 1);
const FIRST_OF_10000 = Date.UTC(10_000, 0, 1);

/** A random instant of 1000-01-01 … 9999-12-31T23:59:59.999Z: the years toISOString writes with four digits. */
const randomInstantOf1000To9999 = (): Date => new Date(FIRST_OF_1000 + Math.floor(Math.random() * (FIRST_OF_10000 - FIRST_OF_1000)));

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL sends in a UTC session, with 0 to 6 fraction digits', () => {
    expect(parseTimestamptz('2026-11-25 15:04:25+00').toISOString()).toBe('2026-11-25T15:04:25.000Z');
    expect(parseTimestamptz('2026-11-25 15:04:25.1+00').toISOString()).toBe('2026-11-25T15:04:25.100Z');
    expect(parseTimestamptz('2026-11-25 15:04:25.12+00').toISOString()).toBe('2026-11-25T15:04:25.120Z');
    expect(parseTimestamptz('2026-11-25 15:04:25.123+00').toISOString()).toBe('2026-11-25T15:04:25.123Z');
    expect(parseTimestamptz('2026-11-25 15:04:25.123999+00').toISOString()).toBe('2026-11-25T15:04:25.123Z');
    expect(parseTimestamptz('2024-02-29 23:59:59.999999+00').toISOString()).toBe('2024-02-29T23:59:59.999Z');
  });

  it('agrees with pg’s parser on 20,000 random instants', () => {
    for (let i = 0; i < 20_000; i++) {
      const at = new Date(Math.floor(Math.random() * 4_102_444_800_000)); // 1970 … 2100
      const micros = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
      const digits = Math.floor(Math.random() * 7);
      const fraction = digits === 0 ? '' : `.${micros.slice(0, digits)}`;
      const text = `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 19)}${fraction}+00`;
      expect(parseTimestamptz(text).getTime()).toBe((pgParser(text) as Date).getTime());
    }
  });

  it('leaves every other shape to pg’s parser', () => {
    for (const text of [
      '2026-03-29 02:30:00+02', // a session in another time zone
      '2026-03-29 02:30:00.5-05:30',
      '0050-01-01 00:00:00+00', // years before 100 (Date.UTC would read 1950)
      '0001-01-01 00:00:00+00 BC',
      '12026-01-01 00:00:00+00',
      'infinity',
      '-infinity',
    ]) {
      const ours = parseTimestamptz(text) as unknown;
      const theirs = pgParser(text) as unknown;
      if (theirs instanceof Date) expect((ours as Date).getTime()).toBe(theirs.getTime());
      else expect(ours).toBe(theirs);
    }
  });
});

describe('instantText', () => {
  it('is toISOString on 20,000 random instants of 1000 … 9999, and on the edges', () => {
    for (let i = 0; i < 20_000; i++) {
      const at = randomInstantOf1000To9999();
      expect(instantText(at)).toBe(at.toISOString());
    }
    for (const at of [new Date(0), new Date(Date.UTC(1000, 0, 1)), new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(2024, 1, 29, 0, 0, 0, 7))]) {
      expect(instantText(at)).toBe(at.toISOString());
    }
  });

  it('gives other years to toISOString, and throws as it does for an invalid date', () => {
    for (const at of [new Date(Date.UTC(999, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(10_000, 0, 1)), new Date(-62_198_755_200_000), new Date(8.64e15)]) {
      expect(instantText(at)).toBe(at.toISOString());
    }
    expect(() => instantText(new Date(Number.NaN))).toThrow(RangeError);
  });
});

/** What PostgreSQL sends for an instant in a UTC session, with `digits` (0–6) fraction digits. */
const pgText = (at: Date, micros: string, digits: number): string => {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${digits === 0 ? '' : `.${micros.slice(0, digits)}`}+00`;
};

/** What a view showed before: pg's Date (its own parser, to the millisecond), formatted by toISOString. */
const shownBefore = (text: string): string => (pgParser(text) as Date).toISOString();

describe('timestamptzText', () => {
  it('gives toISOString’s text of what pg’s parser reads, with 0 to 6 fraction digits', () => {
    expect(timestamptzText('2026-11-25 15:04:25+00')).toBe('2026-11-25T15:04:25.000Z');
    expect(timestamptzText('2026-11-25 15:04:25.1+00')).toBe('2026-11-25T15:04:25.100Z');
    expect(timestamptzText('2026-11-25 15:04:25.12+00')).toBe('2026-11-25T15:04:25.120Z');
    expect(timestamptzText('2026-11-25 15:04:25.123+00')).toBe('2026-11-25T15:04:25.123Z');
    expect(timestamptzText('2026-11-25 15:04:25.123999+00')).toBe('2026-11-25T15:04:25.123Z');
    expect(timestamptzText('2024-02-29 23:59:59.999999+00')).toBe('2024-02-29T23:59:59.999Z');
  });

  it('agrees with pg’s parser and toISOString on 50,000 random instants of 1000 … 9999', () => {
    for (let i = 0; i < 50_000; i++) {
      const at = randomInstantOf1000To9999();
      const text = pgText(at, String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0'), Math.floor(Math.random() * 7));
      expect(timestamptzText(text)).toBe(shownBefore(text));
    }
  });

  it('agrees on the edges: the first and last instant of its range, leap days, the epoch, midnight and the last microsecond of a day', () => {
    for (const text of [
      '1000-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999+00',
      '1970-01-01 00:00:00+00',
      '2000-02-29 12:00:00.5+00',
      '2100-03-01 00:00:00.000001+00',
      '2026-12-31 23:59:59.999999+00',
      '2027-01-01 00:00:00.000999+00',
    ]) {
      expect(timestamptzText(text)).toBe(shownBefore(text));
    }
  });

  it('leaves other years and every other shape to pg’s parser: a Date, shown by instantView as before', () => {
    for (const text of [
      '0999-12-31 23:59:59.999+00', // before 1000: not four significant digits
      '0100-01-01 00:00:00+00',
      '0050-01-01 00:00:00+00',
      '12026-01-01 00:00:00+00', // after 9999
      '0001-01-01 00:00:00+00 BC',
      '2026-03-29 02:30:00+02', // a session in another time zone
      '2026-03-29 02:30:00.5-05:30',
    ]) {
      const ours = timestamptzText(text);
      expect(ours).toBeInstanceOf(Date);
      expect(instantView(ours)).toBe(shownBefore(text));
    }
  });

  it('is pg’s answer for what is no instant: ±Infinity, which instantView refuses as toISOString does; null for garbage', () => {
    for (const text of ['infinity', '-infinity']) {
      const ours = timestamptzText(text) as unknown;
      expect(ours).toBe(pgParser(text));
      expect(() => instantView(ours as Date)).toThrow(RangeError);
      expect(() => new Date(ours as number).toISOString()).toThrow(RangeError);
    }
    expect(timestamptzText('not a timestamp')).toBe(pgParser('not a timestamp'));
    expect(timestamptzText('not a timestamp')).toBeNull();
  });
});

describe('instantView', () => {
  it('shows ISO text as it is, a Date and other text as toISOString', () => {
    expect(instantView('2026-11-25T15:04:25.123Z')).toBe('2026-11-25T15:04:25.123Z');
    expect(instantView(new Date(Date.UTC(2026, 10, 25, 15, 4, 25, 123)))).toBe('2026-11-25T15:04:25.123Z');
    expect(instantView('2026-11-25T15:04:25.123456+00:00')).toBe('2026-11-25T15:04:25.123Z'); // to_json's shape
    expect(instantView('2026-11-25 15:04:25+00')).toBe('2026-11-25T15:04:25.000Z');
    expect(() => instantView('soon')).toThrow(RangeError);
  });
});

describe('isInstantText', () => {
  it('is true of toISOString’s text only, which sorts as the instants do', () => {
    expect(isInstantText('2026-11-25T15:04:25.123Z')).toBe(true);
    for (const text of ['2026-11-25 15:04:25.123+00', '2026-11-25T15:04:25Z', '+010000-01-01T00:00:00.000Z', '2026-11-25T15:04:25.123456+00:00']) expect(isInstantText(text)).toBe(false);
    for (let i = 0; i < 5_000; i++) {
      const [a, b] = [0, 0].map(() => randomInstantOf1000To9999());
      expect(a.toISOString() > b.toISOString()).toBe(a.getTime() > b.getTime());
    }
  });
});

describe('SHOWN_INSTANT_TYPES', () => {
  it('reads timestamptz as timestamptzText and every other type as the process does', () => {
    expect(SHOWN_INSTANT_TYPES.getTypeParser(types.builtins.TIMESTAMPTZ, 'text')).toBe(timestamptzText);
    for (const oid of [types.builtins.INT4, types.builtins.TIMESTAMP, types.builtins.DATE, types.builtins.JSONB, types.builtins.BOOL]) {
      expect(SHOWN_INSTANT_TYPES.getTypeParser(oid, 'text')).toBe(types.getTypeParser(oid, 'text'));
    }
  });
});
