/** No line breaks or other control characters reach a header from a customer's subject or name. */
export const oneLine = (text: string, max = 200): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
