import { EXCERPT_CHARACTERS, ticketExcerpt, ticketExcerptOfStart } from './ticket.view';

/** The first `n` characters as PostgreSQL's left() gives them: by code point. */
const left = (text: string, n: number) => Array.from(text).slice(0, n).join('');
const codePoints = (text: string) => Array.from(text).length;

describe('ticketExcerpt', () => {
  it('makes every whitespace run one space, trims, and keeps 160 characters at most', () => {
    expect(ticketExcerpt('  Outlook\n\n  no\tarranca\r\n')).toBe('Outlook no arranca');
    expect(ticketExcerpt('Factura\u00a0\u00a0duplicada\u3000en\u2003marzo\ufeff')).toBe('Factura duplicada en marzo');
    expect(ticketExcerpt('x'.repeat(500))).toBe('x'.repeat(EXCERPT_CHARACTERS));
    expect(ticketExcerpt(' \n\t ')).toBe('');
  });

  it('counts characters, not UTF-16 units, and never cuts a surrogate pair', () => {
    const excerpt = ticketExcerpt(`${'😀'.repeat(200)}`);
    expect(codePoints(excerpt)).toBe(EXCERPT_CHARACTERS);
    expect(excerpt).toBe('😀'.repeat(EXCERPT_CHARACTERS));
    expect(ticketExcerpt(`${'a'.repeat(159)}😀b`)).toBe(`${'a'.repeat(159)}😀`);
    expect(ticketExcerpt(`${'日本語'.repeat(60)}`)).toBe('日本語'.repeat(60).slice(0, 160));
  });

  it('leaves no space at the end when the 160th character is one', () => {
    expect(ticketExcerpt(`${'a'.repeat(159)} bcd`)).toBe('a'.repeat(159));
  });
});

describe('ticketExcerptOfStart', () => {
  it('is the excerpt of the whole description whenever it answers, and null only when the start is not enough', () => {
    // A deterministic mix of words, multi-byte characters and whitespace runs of every length.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const pieces = ['palabra', 'ñandú', '😀', '日本', ' ', '  ', '\n\n', '\t', '\u00a0', ' '.repeat(40), '\r\n'.repeat(30)];
    let nulls = 0;
    for (let i = 0; i < 2000; i++) {
      let description = '';
      for (let n = random(120); n > 0; n--) description += pieces[random(pieces.length)];
      // What a list reads: one character more than it uses, to tell whether there is more.
      const start = left(description, 321);
      const answer = ticketExcerptOfStart(start, 320);
      if (answer === null) {
        nulls++;
        expect(codePoints(description)).toBeGreaterThan(320);
        expect(codePoints(ticketExcerpt(start))).toBeLessThanOrEqual(EXCERPT_CHARACTERS);
      } else expect(answer).toBe(ticketExcerpt(description));
    }
    // Both paths were taken.
    expect(nulls).toBeGreaterThan(0);
    expect(nulls).toBeLessThan(2000);
  });

  it('slices prose (single spaces) as the whole description would be cut, at 160, 161 and more characters', () => {
    for (const description of [`${'palabra '.repeat(20)}`, `${'a'.repeat(160)}b`, `${'😀 '.repeat(80)}x`, `${'ñandú '.repeat(60)}`, 'corto', `${'b'.repeat(159)} `]) {
      expect(ticketExcerptOfStart(left(description, 321), 320)).toBe(ticketExcerpt(description));
    }
  });

  it('is the whole excerpt when the start is all there is', () => {
    expect(ticketExcerptOfStart('  corto \n', 320)).toBe('corto');
    // 320 characters in 640 UTF-16 units: still the whole description.
    expect(ticketExcerptOfStart(`Inicio${' '.repeat(154)}${'😀'.repeat(160)}`, 320)).toBe(`Inicio ${'😀'.repeat(153)}`);
    expect(ticketExcerptOfStart(`Inicio${'\n'.repeat(314)}`, 320)).toBe('Inicio');
    expect(ticketExcerptOfStart(`${'😀'.repeat(150)}${'\n'.repeat(170)}`, 320)).toBe('😀'.repeat(150));
  });

  it('asks for the rest when the start is mostly whitespace and there is more', () => {
    expect(ticketExcerptOfStart(`Inicio${'\n'.repeat(315)}`, 320)).toBeNull();
    expect(ticketExcerptOfStart(`${'😀'.repeat(100)}${'\n'.repeat(221)}`, 320)).toBeNull();
  });
});
