import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { Schemas } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';
import { useOneAtATime } from '../../live/use-coalesced';
import { fetchInboxPage, inboxQueryOptions } from '../inbox-query';
import type { InboxFilters } from '../inbox-search';
import { mergeHead } from '../merge-head';

type Page = Schemas['TicketPageDto'];

/** How often the inbox asks for its first page again, for the changes the stream does not announce. */
export const INBOX_REFRESH_MS = 30_000;

/**
 * The agent inbox: tickets newest first in pages of 50 (keyset cursor), kept current without a
 * reload — by the live stream where the role may watch it (a new ticket triggers a look at the
 * first page at once), and by a look at the first page every 30 s for what the stream does not
 * announce (status, assignee, triage changes).
 */
export function useInbox(filters: InboxFilters) {
  const queryClient = useQueryClient();
  const options = useMemo(() => inboxQueryOptions(filters), [filters]);
  const queryKey = options.queryKey;
  const query = useInfiniteQuery(options);

  // One look at a time; one asked for meanwhile runs right after (a change announced then is in it).
  const refreshHead = useOneAtATime(() =>
    fetchInboxPage(filters, null).then((head) => {
      queryClient.setQueryData<InfiniteData<Page, string | null>>(queryKey, (data) => (data ? mergeHead(data, head.items) : data));
    }),
  );

  useEffect(() => {
    const timer = setInterval(refreshHead, INBOX_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshHead]);

  // A breach changes no row's place and each row colours its own SLA countdown by the clock: only
  // new and escalated tickets make the inbox look at its first page, and so does a stream that
  // opened again (what it announced while down never reached this tab).
  useLiveEvents(['ticket.created', 'ticket.escalated', 'reconnected'], refreshHead);

  const tickets = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { ...query, tickets };
}
