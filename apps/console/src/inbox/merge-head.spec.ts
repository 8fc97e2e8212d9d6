import { describe, expect, it } from '@jest/globals';
import type { Schemas } from '../api/client';
import { mergeHead, replaceTicket } from './merge-head';

type Ticket = Schemas['TicketListItemDto'];
const ticket = (n: number, status: Ticket['status'] = 'triaged') => ({ id: `t${n}`, number: `HD-${n}`, status }) as Ticket;
const data = (...pages: Ticket[][]) => ({
  pages: pages.map((items, i) => ({ items, nextCursor: i < pages.length - 1 ? `c${i}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i - 1}`)),
});

describe('mergeHead', () => {
  it('puts tickets the list does not show yet on top, newest first', () => {
    const merged = mergeHead(data([ticket(3), ticket(2)], [ticket(1)]), [ticket(5), ticket(4), ticket(3)]);
    expect(merged.pages[0].items.map((t) => t.id)).toEqual(['t5', 't4', 't3', 't2']);
    expect(merged.pages[1].items.map((t) => t.id)).toEqual(['t1']);
  });

  it('replaces a ticket already shown where it is, on any page', () => {
    const merged = mergeHead(data([ticket(3), ticket(2)], [ticket(1)]), [ticket(1, 'in_progress')]);
    expect(merged.pages[1].items[0].status).toBe('in_progress');
    expect(merged.pages.flatMap((p) => p.items)).toHaveLength(3);
  });

  it('keeps the cursors of the loaded pages', () => {
    const before = data([ticket(2)], [ticket(1)]);
    const merged = mergeHead(before, [ticket(3)]);
    expect(merged.pageParams).toEqual(before.pageParams);
    expect(merged.pages.map((p) => p.nextCursor)).toEqual(['c0', null]);
  });
});

describe('replaceTicket', () => {
  const whole = (n: number, status: Ticket['status']) => ({ id: `t${n}`, number: `HD-${n}`, status, description: 'The whole description' }) as Schemas['TicketResponseDto'];

  it('replaces the ticket where it is shown and adds it nowhere else', () => {
    const merged = replaceTicket(data([ticket(3), ticket(2)], [ticket(1)]), whole(2, 'resolved'));
    expect(merged.pages[0].items.map((t) => t.status)).toEqual(['triaged', 'resolved']);
    expect(replaceTicket(data([ticket(3)]), whole(9, 'resolved')).pages[0].items.map((t) => t.id)).toEqual(['t3']);
  });

  it('keeps a list item a list item: its excerpt, not the whole description', () => {
    const item = { ...ticket(2), excerpt: 'The whole' };
    const [replaced] = replaceTicket(data([item]), whole(2, 'resolved')).pages[0].items;
    expect(replaced).toEqual({ id: 't2', number: 'HD-2', status: 'resolved', excerpt: 'The whole' });
    expect(replaced).not.toHaveProperty('description');
  });
});
