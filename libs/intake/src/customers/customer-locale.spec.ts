import { localeFromAcceptLanguage } from './customer-locale.service';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['es-ES,es;q=0.9,en;q=0.8', 'es'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.5,es;q=0.7', 'es'],
    ['de, en;q=0.1', 'en'],
    ['es;q=0, en', 'en'],
    ['EN-us', 'en'],
  ])('%s → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  it.each([[undefined], [''], ['fr, de;q=0.5'], ['*'], ['es;q=0']])('%s names none of ours', (header) => {
    expect(localeFromAcceptLanguage(header)).toBeNull();
  });
});
