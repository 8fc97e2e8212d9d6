import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type Schemas } from '../../api/client';
import { useInboxCache } from '../../inbox/hooks/use-inbox-cache';
import { useLiveEvents } from '../../live/live-events';

/**
 * A ticket with its comments and events: one request (`GET /tickets/{id}/conversation`, which the
 * route's loader and the document's `Link` header start early), so the page is drawn once with all
 * three instead of once per answer.
 */
export const conversationQuery = (id: string) => api.queryOptions('get', '/api/v1/tickets/{id}/conversation', { params: { path: { id } } });

/** A ticket with its comments and events, and what invalidates them: the page's own changes and the live stream. */
export function useTicket(id: string) {
  const queryClient = useQueryClient();
  const conversation = api.useQuery('get', '/api/v1/tickets/{id}/conversation', { params: { path: { id } } });

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: conversationQuery(id).queryKey });
    void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/escalations/{id}'] });
  }, [id, queryClient]);

  useLiveEvents(['ticket.escalated', 'sla.breached', 'escalation.failed', 'reconnected'], (type, data) => {
    if (type === 'reconnected' || ('ticketId' in data && data.ticketId === id)) refresh();
  });

  return { conversation, refresh };
}

/** The page's changes to its ticket; each refreshes the page and the inboxes that show the ticket. */
export function useTicketChanges(id: string, onChanged: () => void) {
  const showInInbox = useInboxCache();
  const path = { params: { path: { id } } };
  const changed = (ticket: Schemas['TicketResponseDto']) => {
    showInInbox(ticket);
    onChanged();
  };
  const update = api.useMutation('patch', '/api/v1/tickets/{id}', { onSuccess: changed });
  const comment = api.useMutation('post', '/api/v1/tickets/{id}/comments', { onSuccess: onChanged });
  const retriage = api.useMutation('post', '/api/v1/tickets/{id}/retriage', { onSuccess: changed });
  const escalate = api.useMutation('post', '/api/v1/tickets/{id}/escalations', { onSuccess: onChanged });
  return { path, update, comment, retriage, escalate };
}
