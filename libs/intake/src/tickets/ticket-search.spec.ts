import { DomainError } from '@helpdesk/http';
import { compareRanked, searchTerms } from './ticket-search';

describe('searchTerms', () => {
  it.each([
    ['HD-000123', { text: null, number: '123' }],
    ['hd-123', { text: null, number: '123' }],
    ['hd123', { text: null, number: '123' }],
    ['#123', { text: null, number: '123' }],
    ['  # 42 ', { text: null, number: '42' }],
    ['123', { text: '123', number: '123' }],
    ['000123', { text: '000123', number: '123' }],
    ['0', { text: '0', number: null }],
    ['HD-0', { text: null, number: null }],
    ['factura 123', { text: 'factura 123', number: null }],
    ['"iniciar sesión" -teams', { text: '"iniciar sesión" -teams', number: null }],
  ])('%s', (q, terms) => {
    expect(searchTerms(q)).toEqual(terms);
  });

  it.each(['', '   ', '"-"', '() -'])('refuses %j: no word, no number (400 naming q)', (q) => {
    expect(() => searchTerms(q)).toThrow(DomainError);
    try {
      searchTerms(q);
    } catch (error) {
      expect((error as DomainError).extensions.errors).toEqual([{ field: 'q', message: expect.any(String), code: 'searchWord', params: {} }]);
    }
  });
});

describe('compareRanked', () => {
  it('orders best first, equal ranks newest first', () => {
    const matches = [
      { ticket_id: 'a', number: '9', rank: '0.1' },
      { ticket_id: 'b', number: '10', rank: '0.1' },
      { ticket_id: 'c', number: '2', rank: '0.60792713' },
      { ticket_id: 'd', number: '100000000000000001', rank: '1e-20' },
      { ticket_id: 'e', number: '100000000000000002', rank: '1e-20' },
    ];
    expect(matches.sort(compareRanked).map((m) => m.ticket_id)).toEqual(['c', 'b', 'a', 'e', 'd']);
  });
});
