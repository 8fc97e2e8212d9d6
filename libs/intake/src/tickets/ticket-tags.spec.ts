import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@helpdesk/http';
import { changedTags, MAX_TAGS_PER_TICKET } from './ticket-tags';

function refusal(change: () => unknown): DomainError {
  try {
    change();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('a ticket’s tags changed', () => {
  it('adds and removes, keeping the order of those kept', () => {
    expect(changedTags(['vip', 'outlook'], { addTags: ['billing'], removeTags: ['vip'] })).toEqual(['outlook', 'billing']);
  });

  it('refuses a tag both added and removed, naming it by code (addAndRemove {tags})', () => {
    const error = refusal(() => changedTags([], { addTags: ['vip', 'billing'], removeTags: ['vip'] }));
    expect(error.extensions.errors).toEqual([{ field: 'removeTags', message: 'cannot both add and remove vip', code: 'addAndRemove', params: { tags: ['vip'] } }]);
  });

  it('refuses going past the cap by code (tooManyTags {max, total})', () => {
    const full = Array.from({ length: MAX_TAGS_PER_TICKET }, (_, i) => `tag-${i}`);
    const error = refusal(() => changedTags(full, { addTags: ['one-more', 'two-more'] }));
    expect(error.extensions.errors).toEqual([{ field: 'addTags', message: expect.stringContaining('22'), code: 'tooManyTags', params: { max: MAX_TAGS_PER_TICKET, total: 22 } }]);
  });
});
