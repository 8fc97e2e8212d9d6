/** A list typed as text: one value per comma or line, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((value) => value.trim())
    .filter(Boolean);
}

export function joinList(values: readonly string[] | undefined): string {
  return (values ?? []).join(', ');
}
