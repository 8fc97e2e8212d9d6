import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useHotkey } from '../../app/hotkeys';
import { useCapabilities } from '../../auth/session';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useInbox } from '../hooks/use-inbox';
import { useRefreshViews, useViews } from '../hooks/use-views';
import { EMPTY_SELECTION, keepListed, toggleAll, toggleRow, type Selection } from '../selection';
import { BulkBar, BulkResults } from './bulk-bar';
import { InboxFilters } from './inbox-filters';
import { SaveViewDialog } from './save-view-dialog';
import { TicketTable } from './ticket-table';
import { viewName, ViewsSidebar } from './views-sidebar';

const route = getRouteApi('/');

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const filters = route.useSearch();
  const { capabilities } = useCapabilities();
  const inbox = useInbox(filters);
  const { views } = useViews();
  const refreshViews = useRefreshViews();
  const queryClient = useQueryClient();
  const queueBox = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [saving, setSaving] = useState(false);
  const [picked, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [outcome, setOutcome] = useState<Schemas['BulkOutcomeDto'] | null>(null);
  useHotkey('/', (event) => {
    event.preventDefault();
    queueBox.current?.focus();
  });

  const ids = useMemo(() => inbox.tickets.map((ticket) => ticket.id), [inbox.tickets]);
  // Only what is still listed counts as selected (a live refresh or a new filter may drop rows).
  const selection = useMemo(() => keepListed(picked, ids), [picked, ids]);
  const view = filters.view ? views.data?.find((v) => v.id === filters.view) : undefined;

  const applied = (result: Schemas['BulkOutcomeDto']) => {
    setOutcome(result);
    // The failed stay selected, to try again or change otherwise; the rest show their new values.
    setSelection({ ids: new Set(result.results.filter((r) => !r.ok).map((r) => r.id)), anchor: null });
    void queryClient.invalidateQueries({ queryKey: ['inbox'] });
    refreshViews();
  };

  return (
    <div className="inbox-layout">
      <ViewsSidebar active={filters.view} />
      <section className="page inbox" aria-labelledby="inbox-title">
        <h1 id="inbox-title">{view ? viewName(view, i18n.language) : t('inbox.title')}</h1>
        {filters.view ? (
          <p className="view-note">{t('views.note')}</p>
        ) : (
          <div className="filters-row">
            <InboxFilters filters={filters} queueRef={queueBox} />
            <Button className="button small" onPress={() => setSaving(true)}>
              {t('views.save')}
            </Button>
          </div>
        )}
        {capabilities.worksTickets && selection.ids.size > 0 && (
          <BulkBar selected={[...selection.ids]} onApplied={applied} onClear={() => setSelection(EMPTY_SELECTION)} />
        )}
        {outcome && <BulkResults outcome={outcome} tickets={inbox.tickets} onDismiss={() => setOutcome(null)} />}
        {inbox.error ? (
          <ErrorMessage error={inbox.error} />
        ) : inbox.isPending ? (
          <Loading />
        ) : inbox.tickets.length === 0 ? (
          <Empty>{t(filters.view ? 'views.empty' : 'inbox.empty')}</Empty>
        ) : (
          <TicketTable
            tickets={inbox.tickets}
            hasNextPage={inbox.hasNextPage}
            isFetchingNextPage={inbox.isFetchingNextPage}
            fetchNextPage={() => void inbox.fetchNextPage()}
            selection={
              capabilities.worksTickets
                ? {
                    ids: selection.ids,
                    toggle: (index, range) => setSelection(toggleRow(selection, ids, index, range)),
                    toggleAll: () => setSelection(toggleAll(selection, ids)),
                  }
                : undefined
            }
          />
        )}
        <SaveViewDialog filters={filters} isOpen={saving} onOpenChange={setSaving} />
      </section>
    </div>
  );
}
