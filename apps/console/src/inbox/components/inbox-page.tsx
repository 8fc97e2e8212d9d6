import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { Button } from '../../ui/button';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useHotkey } from '../../app/hotkeys';
import { useCapabilities, useSession } from '../../auth/session';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useInbox } from '../hooks/use-inbox';
import { useRefreshViews, useViews } from '../hooks/use-views';
import { EMPTY_SELECTION, keepListed, toggleAll, toggleRow, type Selection } from '../selection';
import { InboxFilters } from './inbox-filters';
import { TicketTable } from './ticket-table';
import { viewName, ViewsSidebar } from './views-sidebar';

const route = getRouteApi('/');

// What a selection or a click opens loads then: the first paint of the list needs neither.
const BulkBar = lazy(() => import('./bulk-bar').then((m) => ({ default: m.BulkBar })));
const BulkResults = lazy(() => import('./bulk-bar').then((m) => ({ default: m.BulkResults })));
const ViewActions = lazy(() => import('./view-actions').then((m) => ({ default: m.ViewActions })));
const SaveViewDialog = lazy(() => import('./save-view-dialog').then((m) => ({ default: m.SaveViewDialog })));

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const filters = route.useSearch();
  const { capabilities } = useCapabilities();
  const { current } = useSession();
  const inbox = useInbox(filters);
  // The views' counts wait for the list's first page: the two would share the database's cores.
  const { views } = useViews(!inbox.isPending);
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
  // Their own personal views, and shared ones for the admin roles (the API refuses the rest).
  const mayChangeView = view !== undefined && ((view.kind === 'personal' && view.ownerId === current?.agentId) || (view.kind === 'shared' && capabilities.admin));

  const applied = (result: Schemas['BulkOutcomeDto']) => {
    setOutcome(result);
    // The failed stay selected, to try again or change otherwise; the rest show their new values.
    setSelection({ ids: new Set(result.results.filter((r) => !r.ok).map((r) => r.id)), anchor: null });
    void queryClient.invalidateQueries({ queryKey: ['inbox'] });
    refreshViews();
  };

  return (
    <div className="inbox-layout">
      <ViewsSidebar active={filters.view} views={views} />
      <section className="page inbox" aria-labelledby="inbox-title">
        <h1 id="inbox-title">{view ? viewName(view, i18n.language) : t('inbox.title')}</h1>
        {filters.view ? (
          <>
            <p className="view-note">{t('views.note')}</p>
            {mayChangeView && view && (
              <Suspense fallback={null}>
                <ViewActions view={view} />
              </Suspense>
            )}
          </>
        ) : (
          <div className="filters-row">
            <InboxFilters filters={filters} queueRef={queueBox} />
            <Button className="button small" onPress={() => setSaving(true)}>
              {t('views.save')}
            </Button>
          </div>
        )}
        <Suspense fallback={null}>
          {capabilities.worksTickets && selection.ids.size > 0 && (
            <BulkBar selected={[...selection.ids]} onApplied={applied} onClear={() => setSelection(EMPTY_SELECTION)} />
          )}
          {outcome && <BulkResults outcome={outcome} tickets={inbox.tickets} onDismiss={() => setOutcome(null)} />}
        </Suspense>
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
        {saving && (
          <Suspense fallback={null}>
            <SaveViewDialog filters={filters} isOpen={saving} onOpenChange={setSaving} />
          </Suspense>
        )}
      </section>
    </div>
  );
}
