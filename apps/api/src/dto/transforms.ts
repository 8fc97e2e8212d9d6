/** class-transformer `@Transform` for strings that keep no surrounding white space. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `@Transform` lower-casing a string, or each string of an array (UUIDs: any case on input, stored as PostgreSQL prints them). */
export const lowerCase = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((item) => lowerCase({ value: item })) : typeof value === 'string' ? value.toLowerCase() : value;
