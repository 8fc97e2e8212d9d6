import { Link } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { ErrorMessage } from '../../ui/feedback';
import { TicketPicker } from './ticket-picker';

/** The merge's confirmation (React Aria's Modal) loads when a ticket to merge into is picked. */
const ConfirmDialog = lazy(() => import('../../ui/confirm-dialog').then((m) => ({ default: m.ConfirmDialog })));

type Ticket = Schemas['TicketResponseDto'];
type Event = Schemas['TicketEventDto'];

/**
 * Related tickets: the one this was merged into and those merged into it (from the timeline),
 * the linked tickets (each can be unlinked), a search to link another, and merging this ticket
 * into another of the same customer after a confirmation.
 */
export function RelationsPanel({ ticket, events, canChange, onChanged }: { ticket: Ticket; events: Event[]; canChange: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const path = { params: { path: { id: ticket.id } } };
  const links = api.useQuery('get', '/api/v1/tickets/{id}/links', path);
  const mergedInto = api.useQuery('get', '/api/v1/tickets/{id}', { params: { path: { id: ticket.mergedInto ?? '' } } }, { enabled: Boolean(ticket.mergedInto) });
  const refreshLinks = () => {
    void queryClient.invalidateQueries({ queryKey: api.queryOptions('get', '/api/v1/tickets/{id}/links', path).queryKey });
    onChanged();
  };
  const link = api.useMutation('post', '/api/v1/tickets/{id}/links', { onSuccess: refreshLinks });
  const unlink = api.useMutation('delete', '/api/v1/tickets/{id}/links/{otherId}', { onSuccess: refreshLinks });
  const merge = api.useMutation('post', '/api/v1/tickets/{id}/merge', { onSuccess: onChanged });
  const [target, setTarget] = useState<Schemas['TicketListItemDto'] | null>(null);
  const sources = events.filter((event) => event.type === 'merged_from').map((event) => event.data as { ticketId: string; number: string });
  const merged = Boolean(ticket.mergedInto);

  return (
    <section className="panel" aria-labelledby="relations-title">
      <h2 id="relations-title">{t('relations.title')}</h2>
      {ticket.mergedInto && (
        <p className="merged-note" role="note">
          {t('relations.mergedInto')}{' '}
          <Link to="/tickets/$ticketId" params={{ ticketId: ticket.mergedInto }}>
            {mergedInto.data ? `${mergedInto.data.number} · ${mergedInto.data.subject}` : ticket.mergedInto.slice(0, 8)}
          </Link>
        </p>
      )}
      {sources.length > 0 && (
        <>
          <h3>{t('relations.mergedSources')}</h3>
          <ul className="relation-list">
            {sources.map((source) => (
              <li key={source.ticketId}>
                <Link to="/tickets/$ticketId" params={{ ticketId: source.ticketId }}>
                  {source.number}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('relations.links')}</h3>
      <ErrorMessage error={links.error} />
      {links.data?.length === 0 && <p className="empty">{t('relations.noLinks')}</p>}
      <ul className="relation-list">
        {links.data?.map((linked) => (
          <li key={linked.ticketId}>
            <Link to="/tickets/$ticketId" params={{ ticketId: linked.ticketId }}>
              {linked.number}
            </Link>{' '}
            <span className="subject">{linked.subject}</span> <span className="muted">({t(`status.${linked.status}`)})</span>
            {canChange && (
              <Button className="button small" aria-label={t('relations.unlink', { number: linked.number })} isDisabled={unlink.isPending} onPress={() => unlink.mutate({ params: { path: { id: ticket.id, otherId: linked.ticketId } } })}>
                {t('relations.unlinkShort')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={link.error ?? unlink.error} />
      {canChange && <TicketPicker label={t('relations.linkSearch')} exclude={ticket.id} onPick={(other) => link.mutate({ ...path, body: { ticketId: other.id } })} />}
      {canChange && !merged && (
        <>
          <h3>{t('relations.merge')}</h3>
          <TicketPicker label={t('relations.mergeSearch')} exclude={ticket.id} customerId={ticket.customerId} onPick={setTarget} />
          <ErrorMessage error={merge.error} />
        </>
      )}
      {target !== null && (
        <Suspense fallback={null}>
          <ConfirmDialog
            isOpen
            onOpenChange={(open) => !open && setTarget(null)}
            title={t('relations.confirmTitle')}
            confirmLabel={t('relations.confirmMerge')}
            onConfirm={() => merge.mutate({ ...path, body: { targetId: target.id } })}
          >
            <p>{t('relations.confirmBody', { source: ticket.number, target: `${target.number} · ${target.subject}` })}</p>
          </ConfirmDialog>
        </Suspense>
      )}
    </section>
  );
}
