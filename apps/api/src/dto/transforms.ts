/** class-transformer `@Transform` for strings that keep no surrounding white space. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
