import { add, dinero, Dinero, DineroCurrency, subtract, toDecimal } from 'dinero.js';
import * as ISO_4217 from 'dinero.js/currencies';

/**
 * Money is kept in integer minor units (cents; yen; fils) of an ISO 4217 currency, never in
 * floats. dinero.js holds the currency table (code and exponent) and does the arithmetic and the
 * decimal rendering; parsing a decimal string is ours, since dinero.js has no parser.
 */
export type Minor = number;

const CURRENCIES = ISO_4217 as unknown as Record<string, DineroCurrency<number>>;

/** The largest amount accepted anywhere (minor units): far below 2^53, so sums stay exact. */
export const MAX_MINOR = 10 ** 14;

export class MoneyError extends Error {}

/** The ISO 4217 currency of `code` (upper case), or null when there is none. */
export function currencyOf(code: string): DineroCurrency<number> | null {
  return /^[A-Z]{3}$/.test(code) && Object.prototype.hasOwnProperty.call(CURRENCIES, code) ? CURRENCIES[code] : null;
}

export const isCurrency = (code: string): boolean => currencyOf(code) !== null;

function currency(code: string): DineroCurrency<number> {
  const found = currencyOf(code);
  if (!found) throw new MoneyError(`${code} is not an ISO 4217 currency`);
  return found;
}

/** Decimal digits after the point in `code` (EUR 2, JPY 0, KWD 3). */
export const exponentOf = (code: string): number => currency(code).exponent;

const DECIMAL = /^(-)?(\d{1,16})(?:\.(\d+))?$/;

/**
 * "123.45" in EUR → 12345. Refuses more decimals than the currency has ("1.005" EUR, "1.5" JPY),
 * signs other than a leading minus, exponents, separators and amounts beyond MAX_MINOR.
 */
export function parseAmount(text: string, code: string, options: { allowNegative?: boolean } = {}): Minor {
  const exponent = exponentOf(code);
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(`"${text.slice(0, 40)}" is not a decimal amount like 123.45`);
  const [, minus, whole, fraction = ''] = match;
  if (minus && !options.allowNegative) throw new MoneyError('must not be negative');
  if (fraction.length > exponent) {
    throw new MoneyError(exponent === 0 ? `${code} amounts have no decimals` : `${code} amounts have at most ${exponent} decimals`);
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) throw new MoneyError('is too large');
  return minus ? -minor : minor;
}

export const money = (minor: Minor, code: string): Dinero<number> => dinero({ amount: minor, currency: currency(code) });

const amountOf = (d: Dinero<number>): Minor => d.toJSON().amount;

/** Sum of minor amounts of one currency. */
export function sum(amounts: readonly Minor[], code: string): Minor {
  return amountOf(amounts.reduce((acc, m) => add(acc, money(m, code)), money(0, code)));
}

export const minus = (a: Minor, b: Minor, code: string): Minor => amountOf(subtract(money(a, code), money(b, code)));

/** 12345 EUR → "123.45" (no grouping, "." as the point): what the API shows. */
export const formatAmount = (minor: Minor, code: string): string => toDecimal(money(minor, code));

/** 12345 EUR → "123,45 €" (es) / "€123.45" (en): for texts a customer reads. */
export function displayAmount(minor: Minor, code: string, locale: 'es' | 'en'): string {
  return toDecimal(money(minor, code), ({ value, currency: c }) =>
    new Intl.NumberFormat(locale === 'es' ? 'es-ES' : 'en-GB', { style: 'currency', currency: c.code, minimumFractionDigits: c.exponent }).format(Number(value)),
  );
}

/** `{amount, currency}` as the API writes money. */
export interface MoneyView {
  amount: string;
  currency: string;
}

export const moneyView = (minor: Minor | string, code: string): MoneyView => ({ amount: formatAmount(Number(minor), code), currency: code });
