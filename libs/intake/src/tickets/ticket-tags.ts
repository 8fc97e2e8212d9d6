import { DomainError, DomainErrorCode, FieldErrorCode } from '@helpdesk/http';

/** A ticket carries at most this many tags (staff changes; triage rules add theirs within the same list). */
export const MAX_TAGS_PER_TICKET = 20;

/**
 * A tag as stored: lower-case letters, digits and `_ . : -`, 1–40 characters, after trimming.
 * One word, so that a tag reads the same in a filter (`?tag=`), a URL and a list of counts.
 */
export const TAG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}_.:-]{1,40}$/u;
export const TAG_RULE = 'a tag is 1–40 lower-case letters, digits or _ . : - (it is trimmed and lower-cased first)';

/** What the client sent, as it would be stored (trimmed, lower-case). */
export const normalizeTag = (tag: string): string => tag.trim().toLowerCase();

export const isValidTag = (tag: string): boolean => TAG_PATTERN.test(tag);

export interface TagChange {
  addTags?: readonly string[];
  removeTags?: readonly string[];
}

/**
 * The ticket's tags after a change (added ones at the end, in the order given), or the same array
 * when nothing changes. Tags are expected normalised (the DTO does it). A tag both added and
 * removed is a contradiction (400); adding beyond MAX_TAGS_PER_TICKET is a 422 naming `addTags`
 * (removing alone is always allowed, also from a ticket over the cap).
 */
export function changedTags(current: readonly string[], change: TagChange): readonly string[] {
  const add = [...new Set(change.addTags ?? [])];
  const remove = new Set(change.removeTags ?? []);
  const both = add.filter((t) => remove.has(t));
  if (both.length > 0) throw DomainError.invalid('removeTags', `cannot both add and remove ${both.join(', ')}`, FieldErrorCode.AddAndRemove, { tags: both });
  const kept = current.filter((t) => !remove.has(t));
  const next = [...kept, ...add.filter((t) => !kept.includes(t))];
  if (next.length === current.length && next.every((t, i) => t === current[i])) return current;
  if (next.length > MAX_TAGS_PER_TICKET && next.length > kept.length) {
    throw new DomainError(DomainErrorCode.Unprocessable, `A ticket has at most ${MAX_TAGS_PER_TICKET} tags; this change would give it ${next.length}`, {
      errors: [{ field: 'addTags', message: `would make ${next.length} tags (at most ${MAX_TAGS_PER_TICKET}; remove some first)`, code: FieldErrorCode.TooManyTags, params: { max: MAX_TAGS_PER_TICKET, total: next.length } }],
      tags: current,
    });
  }
  return next;
}
