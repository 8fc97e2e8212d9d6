import { currencyOf, displayAmount, exponentOf, formatAmount, isCurrency, minus, MoneyError, parseAmount, sum } from './money';

describe('money', () => {
  it('knows ISO 4217 currencies and their exponents', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('XXY')).toBe(false);
    expect(isCurrency('constructor')).toBe(false);
    expect(currencyOf('toString')).toBeNull();
    expect([exponentOf('EUR'), exponentOf('JPY'), exponentOf('KWD')]).toEqual([2, 0, 3]);
  });

  it.each<[string, string, number]>([
    ['123.45', 'EUR', 12345],
    ['123.4', 'EUR', 12340],
    ['123', 'EUR', 12300],
    ['0.01', 'USD', 1],
    ['1500', 'JPY', 1500],
    ['1.005', 'KWD', 1005],
    ['0', 'EUR', 0],
  ])('parses %s %s as %i minor units', (text, code, minor) => {
    expect(parseAmount(text, code)).toBe(minor);
  });

  it.each<[string, string, RegExp]>([
    ['1.005', 'EUR', /at most 2 decimals/],
    ['1.5', 'JPY', /no decimals/],
    ['-1.00', 'EUR', /negative/],
    ['1,00', 'EUR', /decimal amount/],
    ['1e3', 'EUR', /decimal amount/],
    ['+1', 'EUR', /decimal amount/],
    [' 1', 'EUR', /decimal amount/],
    ['', 'EUR', /decimal amount/],
    ['9999999999999999', 'EUR', /too large/],
    ['1.00', 'ABC', /not an ISO 4217 currency/],
  ])('refuses %p in %s', (text, code, message) => {
    expect(() => parseAmount(text, code)).toThrow(MoneyError);
    expect(() => parseAmount(text, code)).toThrow(message);
  });

  it('accepts a negative amount only when asked (credit lines)', () => {
    expect(parseAmount('-5.50', 'EUR', { allowNegative: true })).toBe(-550);
  });

  it('adds and subtracts exactly where floats would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sum([10, 20], 'EUR')).toBe(30);
    expect(formatAmount(sum([parseAmount('0.10', 'EUR'), parseAmount('0.20', 'EUR')], 'EUR'), 'EUR')).toBe('0.30');
    expect(minus(12345, 345, 'EUR')).toBe(12000);
    expect(sum([], 'EUR')).toBe(0);
  });

  it('formats for the API and for people', () => {
    expect(formatAmount(12345, 'EUR')).toBe('123.45');
    expect(formatAmount(1500, 'JPY')).toBe('1500');
    expect(formatAmount(-5, 'KWD')).toBe('-0.005');
    expect(displayAmount(123456, 'EUR', 'es')).toMatch(/^1\.?234,56\s€$/);
    expect(displayAmount(123456, 'EUR', 'en')).toBe('€1,234.56');
    expect(displayAmount(1500, 'JPY', 'en')).toBe('JP¥1,500');
  });
});
