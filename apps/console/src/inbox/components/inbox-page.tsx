import { getRouteApi } from '@tanstack/react-router';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useHotkey } from '../../app/hotkeys';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useInbox } from '../hooks/use-inbox';
import { InboxFilters } from './inbox-filters';
import { TicketTable } from './ticket-table';

const route = getRouteApi('/');

export function InboxPage() {
  const { t } = useTranslation();
  const filters = route.useSearch();
  const inbox = useInbox(filters);
  const queueBox = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useHotkey('/', (event) => {
    event.preventDefault();
    queueBox.current?.focus();
  });

  return (
    <section className="page inbox" aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      <InboxFilters filters={filters} queueRef={queueBox} />
      {inbox.error ? (
        <ErrorMessage error={inbox.error} />
      ) : inbox.isPending ? (
        <Loading />
      ) : inbox.tickets.length === 0 ? (
        <Empty>{t('inbox.empty')}</Empty>
      ) : (
        <TicketTable tickets={inbox.tickets} hasNextPage={inbox.hasNextPage} isFetchingNextPage={inbox.isFetchingNextPage} fetchNextPage={() => void inbox.fetchNextPage()} />
      )}
    </section>
  );
}
