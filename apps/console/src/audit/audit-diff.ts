/** One field of an audited record: its value before and after, and whether the change touched it. */
export interface DiffRow {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

const show = (value: unknown): string => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The fields of a record before and after a change, the changed ones first (then by name), each
 * value as text. A creation has no `before`, a deletion no `after`: every field counts as changed.
 */
export function auditDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): DiffRow[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields
    .map((field) => {
      const was = before?.[field];
      const is = after?.[field];
      return { field, before: show(was), after: show(is), changed: before === null || after === null || JSON.stringify(was) !== JSON.stringify(is) };
    })
    .sort((a, b) => Number(b.changed) - Number(a.changed) || a.field.localeCompare(b.field));
}
