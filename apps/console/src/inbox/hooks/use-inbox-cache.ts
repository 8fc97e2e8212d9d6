import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Schemas } from '../../api/client';
import { replaceTicket } from '../merge-head';

/** Shows a ticket changed elsewhere (its page) in every loaded inbox, without refetching their pages. */
export function useInboxCache() {
  const queryClient = useQueryClient();
  return useCallback(
    (ticket: Schemas['TicketResponseDto']) =>
      queryClient.setQueriesData<InfiniteData<Schemas['TicketPageDto'], string | null>>({ queryKey: ['inbox'] }, (data) => (data ? replaceTicket(data, ticket) : data)),
    [queryClient],
  );
}
