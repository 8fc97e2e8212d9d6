import { containsWord, matchedKeywords, normalize, normalizeFields, tokenize } from './text-normalizer';

describe('normalize', () => {
  it('lower-cases and strips accents and diacritics', () => {
    expect(normalize('Facturación')).toBe('facturacion');
    expect(normalize('CAÍDO')).toBe('caido');
    expect(normalize('Máquina Virtual, SUSCRIPCIÓN, Año, pingüino')).toBe('maquina virtual, suscripcion, ano, pinguino');
  });

  it('strips marks from text that is already decomposed (NFD input)', () => {
    expect(normalize('Facturacio\u0301n')).toBe('facturacion');
    expect(normalize('cai\u0301do')).toBe('caido');
  });

  it('keeps punctuation, digits and spacing as they are', () => {
    expect(normalize('  Office 365: ¡NO funciona!  ')).toBe('  office 365: ¡no funciona!  ');
    expect(normalize('')).toBe('');
  });
});

describe('tokenize', () => {
  it('returns the normalised words of letters and digits, in order', () => {
    expect(tokenize('¡No funciona! Office-365 (M365), facturación…')).toEqual([
      'no', 'funciona', 'office', '365', 'm365', 'facturacion',
    ]);
  });

  it('returns no words for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ¿?!... -- ')).toEqual([]);
  });
});

describe('containsWord', () => {
  const text = (raw: string): string => normalize(raw);

  it('matches a keyword whatever the case of the text', () => {
    expect(containsWord(text('Factura de marzo'), 'factura')).toBe(true);
    expect(containsWord(text('FACTURA DE MARZO'), 'factura')).toBe(true);
    expect(containsWord(text('La factura.'), 'factura')).toBe(true);
  });

  it('matches whole words only: "factura" is not "facturación", "facturas" or "refactura"', () => {
    expect(containsWord(text('Problema de facturación'), 'factura')).toBe(false);
    expect(containsWord(text('Problema de FACTURACION'), 'factura')).toBe(false);
    expect(containsWord(text('Dos facturas'), 'factura')).toBe(false);
    expect(containsWord(text('refactura'), 'factura')).toBe(false);
    expect(containsWord(text('factura2024'), 'factura')).toBe(false);
  });

  it('matches an accented keyword against text with or without the accent, and vice versa', () => {
    expect(containsWord(text('Facturacion pendiente'), 'facturación')).toBe(true);
    expect(containsWord(text('FACTURACIÓN pendiente'), 'facturación')).toBe(true);
    expect(containsWord(text('Facturación pendiente'), 'facturacion')).toBe(true);
    expect(containsWord(text('Facturación pendiente'), 'FACTURACIÓN')).toBe(true);
  });

  it('matches multi-word phrases as consecutive whole words', () => {
    expect(containsWord(text('Paid by Credit Card yesterday'), 'credit card')).toBe(true);
    expect(containsWord(text('paid by credit-card'), 'credit card')).toBe(true);
    expect(containsWord(text('paid by credit\n  card'), 'credit card')).toBe(true);
    expect(containsWord(text('El portal NO FUNCIONA'), 'no funciona')).toBe(true);
    expect(containsWord(text('Business Central is slow'), 'business central')).toBe(true);
  });

  it('does not match a phrase whose words are apart, reordered, partial or split by punctuation', () => {
    expect(containsWord(text('credit for the card'), 'credit card')).toBe(false);
    expect(containsWord(text('card credit'), 'credit card')).toBe(false);
    expect(containsWord(text('credit cards'), 'credit card')).toBe(false);
    expect(containsWord(text('¿Caído? No. Funciona bien'), 'no funciona')).toBe(false);
    expect(containsWord(text('nobusiness central'), 'business central')).toBe(false);
  });

  it('matches a word written with a trailing "*" as a prefix, accents and case aside', () => {
    expect(containsWord(text('Problema de FACTURACIÓN'), 'factura*')).toBe(true);
    expect(containsWord(text('Dos facturas'), 'factura*')).toBe(true);
    expect(containsWord(text('La factura'), 'factura*')).toBe(true);
    expect(containsWord(text('Facturación'), 'facturació*')).toBe(true);
    // A prefix of a word, never the inside or the end of one.
    expect(containsWord(text('refactura pendiente'), 'factura*')).toBe(false);
    expect(containsWord(text('fact'), 'factura*')).toBe(false);
  });

  it('matches a phrase with prefix words as consecutive words, each prefix at the start of its word', () => {
    expect(containsWord(text('Pago con Tarjeta de Crédito'), 'tarjeta de cr*')).toBe(true);
    expect(containsWord(text('pago con tarjetas de crédito'), 'tarjeta* de cr*')).toBe(true);
    expect(containsWord(text('tarjeta de débito, crédito'), 'tarjeta de cr*')).toBe(false);
    expect(containsWord(text('tarjeta. De crédito'), 'tarjeta de cr*')).toBe(false);
    expect(containsWord(text('la tarjeta de recarga'), 'tarjeta de cr*')).toBe(false);
    expect(containsWord(text('no funcionan los correos'), 'no funciona*')).toBe(true);
  });

  it('keeps punctuation inside a keyword with prefix words, and a "*" inside a word is punctuation', () => {
    expect(containsWord(text("I can't login since Monday"), "can't log*")).toBe(true);
    expect(containsWord(text('I cant login'), "can't log*")).toBe(false);
    expect(containsWord(text('Open office.com in Edge'), 'office.c*')).toBe(true);
    expect(containsWord(text('Open office com in Edge'), 'office.c*')).toBe(false);
    expect(containsWord(text('fac*tura'), 'fac*tura')).toBe(true);
    expect(containsWord(text('factura'), 'fac*tura')).toBe(false);
  });

  it('still matches exact words beside a prefix keyword in the same text (cached forms do not mix)', () => {
    const t = text('Factura de marzo y facturación de abril');
    expect(containsWord(t, 'factura')).toBe(true);
    expect(containsWord(t, 'factura*')).toBe(true);
    expect(containsWord(t, 'facturacion')).toBe(true);
    expect(containsWord(t, 'abr*')).toBe(true);
    expect(containsWord(t, 'marzo abr*')).toBe(false);
  });

  it('treats underscores and dashes like spaces inside a phrase', () => {
    expect(containsWord(text('credit_card'), 'credit card')).toBe(true);
    expect(containsWord(text('credit – card'), 'credit card')).toBe(true);
    expect(containsWord(text('credit_card'), 'credit')).toBe(true);
  });

  it('answers correctly when different texts are asked about in turn', () => {
    const a = text('Factura pendiente');
    const b = text('Refund pending');
    expect(containsWord(a, 'factura')).toBe(true);
    expect(containsWord(b, 'factura')).toBe(false);
    expect(containsWord(a, 'factura')).toBe(true);
    expect(containsWord(b, 'refund')).toBe(true);
    expect(containsWord(a, 'refund')).toBe(false);
  });

  it('is not fooled by a pipe or padding in the text', () => {
    expect(containsWord(text('credit | card'), 'credit card')).toBe(false);
    expect(containsWord(text(' | '), 'credit')).toBe(false);
  });

  it('matches at the very start and end of the text', () => {
    expect(containsWord(text('down'), 'down')).toBe(true);
    expect(containsWord(text('vm'), 'VM')).toBe(true);
  });

  it('never matches a keyword without letters or digits', () => {
    expect(containsWord(text('anything at all'), '')).toBe(false);
    expect(containsWord(text('a -- b'), '--')).toBe(false);
  });

  it('matches a keyword with punctuation between its words where the text has punctuation there too', () => {
    expect(containsWord(text("Users can't log in since Monday"), "can't log in")).toBe(true);
    expect(containsWord(text('Sign-in at Office.com fails'), 'office.com')).toBe(true);
    expect(containsWord(text('Our Node.js app on Azure'), 'node.js')).toBe(true);
    expect(containsWord(text("L'ordinateur ne démarre pas"), "l'ordinateur")).toBe(true);
    expect(containsWord(text('Nº. de factura: 12'), 'nº. de factura')).toBe(true);
    expect(containsWord(text('office com'), 'office.com')).toBe(false);
    expect(containsWord(text('cant log in'), "can't log in")).toBe(false);
  });

  it('ignores punctuation around a keyword', () => {
    expect(containsWord(text('Teams is down'), '#teams')).toBe(true);
    expect(containsWord(text('Teams is down'), '"down"')).toBe(true);
  });

  it('treats regular-expression characters in a keyword as separators, not syntax', () => {
    expect(containsWord(text('dynamics 365 crm'), 'dynamics.*crm')).toBe(false);
    expect(containsWord(text('c++ issue'), 'c++')).toBe(true);
  });
});

describe('matchedKeywords', () => {
  it('returns the keywords as written, in list order', () => {
    expect(matchedKeywords(normalize('Pago y FACTURACIÓN de la factura'), ['facturación', 'pago', 'factura', 'refund'])).toEqual([
      'facturación', 'pago', 'factura',
    ]);
  });

  it('returns an empty list when nothing matches', () => {
    expect(matchedKeywords(normalize('hello'), ['factura'])).toEqual([]);
  });
});

describe('normalizeFields', () => {
  it('normalises and joins the fields so that no phrase spans two of them', () => {
    const text = normalizeFields('Credit', 'Card NO', 'funciona');
    expect(tokenize(text)).toEqual(['credit', 'card', 'no', 'funciona']);
    expect(containsWord(text, 'credit')).toBe(true);
    expect(containsWord(text, 'credit card')).toBe(false);
    expect(containsWord(text, 'no funciona')).toBe(false);
  });

  it('does not let a keyword with punctuation span two fields either', () => {
    const text = normalizeFields('Factura de marzo', 'El pago');
    expect(containsWord(text, 'marzo. el')).toBe(false);
    expect(containsWord(text, 'marzo el')).toBe(false);
    expect(containsWord(normalizeFields('Factura de marzo. El pago', 'x'), 'marzo. el')).toBe(true);
  });

  it('lets a phrase wrap across lines inside one field', () => {
    expect(containsWord(normalizeFields('Subject', 'paid by credit\r\ncard'), 'credit card')).toBe(true);
  });
});
