import type { InfiniteData } from '@tanstack/react-query';
import type { Schemas } from '../api/client';

type Ticket = Schemas['TicketListItemDto'];
type Page = Schemas['TicketPageDto'];

/**
 * Fresh tickets of the first page, merged into the pages already loaded: a ticket already shown
 * is replaced in place (its status, assignee, SLA may have changed), a new one goes on top. The
 * keyset cursors of the loaded pages stay valid, so scrolling on continues where it was.
 */
export function mergeHead(data: InfiniteData<Page, string | null>, head: Ticket[]): InfiniteData<Page, string | null> {
  const fresh = new Map(head.map((ticket) => [ticket.id, ticket]));
  const shown = new Set<string>();
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.map((ticket) => {
      shown.add(ticket.id);
      return fresh.get(ticket.id) ?? ticket;
    }),
  }));
  const added = head.filter((ticket) => !shown.has(ticket.id));
  if (added.length && pages.length) pages[0] = { ...pages[0], items: [...added, ...pages[0].items] };
  return { ...data, pages };
}

/**
 * A changed ticket (as its own route answers it, with the whole description), replaced wherever a
 * loaded page shows it (and nowhere added), as a list item: the item's excerpt stays, since a
 * ticket's description never changes once filed.
 */
export function replaceTicket(data: InfiniteData<Page, string | null>, ticket: Schemas['TicketResponseDto']): InfiniteData<Page, string | null> {
  const { description: _description, ...fields } = ticket;
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.id === ticket.id ? { ...fields, excerpt: item.excerpt } : item)) })),
  };
}
