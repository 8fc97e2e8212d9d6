import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type Schemas } from '../../api/client';
import { useInboxCache } from '../../inbox/hooks/use-inbox-cache';
import { useLiveEvents } from '../../live/live-events';

/** A ticket with its comments and events, and what invalidates them: the page's own changes and the live stream. */
export function useTicket(id: string) {
  const queryClient = useQueryClient();
  const path = { params: { path: { id } } };
  const ticket = api.useQuery('get', '/api/v1/tickets/{id}', path);
  const comments = api.useQuery('get', '/api/v1/tickets/{id}/comments', path);
  const events = api.useQuery('get', '/api/v1/tickets/{id}/events', path);

  const refresh = useCallback(() => {
    for (const url of ['/api/v1/tickets/{id}', '/api/v1/tickets/{id}/comments', '/api/v1/tickets/{id}/events'] as const) {
      void queryClient.invalidateQueries({ queryKey: api.queryOptions('get', url, { params: { path: { id } } }).queryKey });
    }
    void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/escalations/{id}'] });
  }, [id, queryClient]);

  useLiveEvents(['ticket.escalated', 'sla.breached', 'escalation.failed'], (_type, data) => {
    if ('ticketId' in data && data.ticketId === id) refresh();
  });

  return { ticket, comments, events, refresh };
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
