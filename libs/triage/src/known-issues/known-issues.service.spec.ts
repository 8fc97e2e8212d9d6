import { normalizeFields } from '../classification';
import { CANDIDATE_WORDS, candidateWords, searchTerms, searchTermsOf } from './known-issues.service';

describe('searchTerms', () => {
  it('keeps distinct meaningful words, accents folded, without stop words, numbers or short words', () => {
    expect(searchTerms('La FACTURA de Octubre: factura duplicada, el cargo 2 veces (2026)')).toEqual(['factura', 'octubre', 'duplicada', 'cargo', 'veces']);
  });
});

describe('candidateWords', () => {
  const frequencies = new Map(Object.entries({ common: 900, usual: 400, rare: 3, rarer: 1, mid: 50, also: 50 }));

  it('uses every word of a short ticket', () => {
    expect(candidateWords(['common', 'usual', 'rare'], frequencies)).toEqual(['common', 'usual', 'rare']);
  });

  it('takes the unknown words and then the rarest known ones (ties alphabetical) of a long ticket', () => {
    expect(candidateWords(['common', 'usual', 'rare', 'brandnew', 'rarer', 'mid', 'also'], frequencies, 4)).toEqual(['brandnew', 'rarer', 'rare', 'also', 'mid']);
  });

  it('finds candidates by every word when nothing is known', () => {
    const terms = Array.from({ length: CANDIDATE_WORDS + 4 }, (_, i) => `word${i}`);
    expect(candidateWords(terms, new Map())).toEqual(terms);
  });

  it('never finds candidates by more than the limit of known words', () => {
    const terms = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const known = new Map(terms.map((t, i) => [t, 100 - i]));
    const words = candidateWords(terms, known);
    expect(words).toHaveLength(CANDIDATE_WORDS);
    expect(words[0]).toBe('w39');
  });
});

describe('searchTermsOf', () => {
  it('finds the same words in the normalised fields as searchTerms in the joined text', () => {
    const samples: Array<[string, string]> = [
      ['Factura duplicada', 'Hemos recibido la FACTURA duplicada; el cargo aparece dos veces.'],
      ['¿Caído?', 'Teams no funciona — credit-card_payment İstanbul ÇA ñandú 2026'],
      ['VM down', ''],
    ];
    for (const [subject, description] of samples) {
      expect(searchTermsOf(normalizeFields(subject, description))).toEqual(searchTerms(`${subject} ${description}`));
    }
  });
});
