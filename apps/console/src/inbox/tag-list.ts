/** Tags typed as "vip, outlook" (commas or spaces): trimmed, lower-cased, each once; the API checks each. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}
