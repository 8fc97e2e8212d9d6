import { ValidateBy, ValidationOptions } from 'class-validator';
import { isCurrency, isLocalDate, PRODUCTS } from '@helpdesk/billing';

export const oneOf = (field: string, values: readonly string[]) => ({ message: `${field} must be one of: ${values.join(', ')}` });

/** A calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isCalendarDate', validator: { validate: (v: unknown) => typeof v === 'string' && isLocalDate(v), defaultMessage: (a) => `${a?.property} must be a date written YYYY-MM-DD` } }, options);

/** An ISO 4217 currency code in capitals. */
export const IsCurrencyCode = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isCurrencyCode', validator: { validate: (v: unknown) => typeof v === 'string' && isCurrency(v), defaultMessage: (a) => `${a?.property} must be an ISO 4217 currency code such as EUR` } }, options);

/**
 * A money amount as a decimal string ("123.45"): strings, not JSON numbers, so that no float ever
 * carries money. Whether its decimals fit the currency is checked with the currency.
 */
export const IsDecimalAmount = (options: ValidationOptions & { negative?: boolean } = {}): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDecimalAmount',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && (options.negative ? /^-?\d{1,16}(\.\d{1,4})?$/ : /^\d{1,16}(\.\d{1,4})?$/).test(v),
        defaultMessage: (a) => `${a?.property} must be a decimal amount written as a string, such as "123.45"${options.negative ? ' (or "-10.00" for a credit)' : ''}`,
      },
    },
    options,
  );

/** "all", or a non-empty list of distinct products. */
export const IsProductSelection = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isProductSelection',
      validator: {
        validate: (v: unknown) =>
          v === 'all' || (Array.isArray(v) && v.length > 0 && new Set(v).size === v.length && v.every((p) => (PRODUCTS as readonly unknown[]).includes(p))),
        defaultMessage: (a) => `${a?.property} must be "all" or a list of distinct products from: ${PRODUCTS.join(', ')}`,
      },
    },
    options,
  );
