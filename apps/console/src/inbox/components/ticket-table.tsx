import { Link, useNavigate } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useHotkey } from '../../app/hotkeys';
import { isHydrating, markRowsLive } from '../../app/server-render';
import { useDirectory } from '../../directory/hooks/use-directory';
import { SlaBadge } from '../../ticket/components/sla-badge';
import { useBusinessCalendars } from '../../ticket/hooks/use-business-calendars';
import { useNow } from '../../ui/use-now';

type Ticket = Schemas['TicketListItemDto'];

const ROW_HEIGHT = 44;
/** Ask for the next page this many rows before the end of what is loaded. */
const PREFETCH_ROWS = 15;
/** The root's font size and the grid's height in styles.css (`.ticket-grid`: 100vh - 15rem, at least 20rem). */
const REM_PX = 15;
/**
 * The grid's size before it is measured: without it the first render draws no row (the virtualizer
 * knows no height yet), measures the grid in a layout effect (a forced layout of the whole page) and
 * renders again with the rows. With it the first render draws the rows in view, and the measurement
 * only corrects the range if the estimate was off (the overscan covers a few rows either way).
 */
const initialRect = () => ({ width: 0, height: Math.max(window.innerHeight - 15 * REM_PX, 20 * REM_PX) });
/**
 * The server render knows no window: it draws a whole first page (readable before the script runs,
 * by scrolling the grid), and the browser's first render, which takes those rows over, draws the
 * same; the grid's measurement then trims the rows out of view.
 */
const SERVER_PAGE_ROWS = 50;
const serverRect = () => ({ width: 0, height: SERVER_PAGE_ROWS * ROW_HEIGHT });

/** Bulk selection, when the caller may change tickets: a checkbox per row and one for every loaded row. */
export interface TableSelection {
  ids: ReadonlySet<string>;
  /** Toggles row `index`; `range` (shift-click) extends from the last row toggled. */
  toggle: (index: number, range: boolean) => void;
  toggleAll: () => void;
}

interface TicketTableProps {
  tickets: Ticket[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  selection?: TableSelection;
}

/**
 * The ticket list as an ARIA grid: only the rows in view (and a few around) are in the DOM, so a
 * list of thousands scrolls like one of fifty. j/k move the active row, Enter opens it, x selects it.
 */
export function TicketTable({ tickets, hasNextPage, isFetchingNextPage, fetchNextPage, selection }: TicketTableProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { customerName, agentName } = useDirectory();
  const now = useNow();
  const calendarFor = useBusinessCalendars();
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [firstRect] = useState(() => (isHydrating() ? serverRect() : initialRect()));
  const virtualizer = useVirtualizer({ count: tickets.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10, initialRect: firstRect });
  const rows = virtualizer.getVirtualItems();
  const last = rows.at(-1)?.index ?? 0;
  const above = rows[0]?.start ?? 0;
  const below = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);

  useEffect(markRowsLive, []);

  useEffect(() => {
    // The rows in view now, not those of this render: the first render of a page the server drew has a whole
    // page of rows (serverRect) until the grid is measured (the virtualizer's layout effect, before this one).
    const lastInView = virtualizer.getVirtualItems().at(-1)?.index ?? 0;
    if (hasNextPage && !isFetchingNextPage && lastInView >= tickets.length - PREFETCH_ROWS) fetchNextPage();
  }, [virtualizer, last, tickets.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const move = (to: number) => {
    const index = Math.max(0, Math.min(tickets.length - 1, to));
    setActive(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };
  const open = (ticket: Ticket | undefined) => ticket && void navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } });
  useHotkey('j', () => move(active + 1));
  useHotkey('k', () => move(active - 1));
  useHotkey('Enter', () => open(tickets[active]));
  useHotkey('x', () => selection?.toggle(active, false), Boolean(selection));

  const activeTicket = tickets[active];
  const allSelected = Boolean(selection) && tickets.length > 0 && tickets.every((ticket) => selection?.ids.has(ticket.id));
  const someSelected = Boolean(selection && selection.ids.size > 0 && !allSelected);
  return (
    <div
      className={`ticket-grid${selection ? ' selectable' : ''}`}
      role="grid"
      aria-label={t('inbox.title')}
      aria-rowcount={tickets.length + 1}
      aria-activedescendant={activeTicket ? `row-${activeTicket.id}` : undefined}
      tabIndex={0}
      ref={scroller}
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown') move(active + 1);
        else if (event.key === 'ArrowUp') move(active - 1);
        else return;
        event.preventDefault();
      }}
    >
      <div role="row" aria-rowindex={1} className="ticket-row header">
        {selection && (
          <span role="columnheader">
            <input
              type="checkbox"
              aria-label={t('bulk.selectAll')}
              checked={allSelected}
              ref={(box) => {
                if (box) box.indeterminate = someSelected;
              }}
              onChange={selection.toggleAll}
            />
          </span>
        )}
        <span role="columnheader">{t('ticket.number')}</span>
        <span role="columnheader">{t('ticket.subject')}</span>
        <span role="columnheader">{t('ticket.customer')}</span>
        <span role="columnheader">{t('ticket.priority')}</span>
        <span role="columnheader">{t('ticket.status')}</span>
        <span role="columnheader">{t('ticket.sla')}</span>
        <span role="columnheader">{t('ticket.assignee')}</span>
        <span role="columnheader">{t('ticket.tags')}</span>
      </div>
      <div className="ticket-rows">
        {/* The rows out of view above and below, as space. No style attribute when there is none (the server's page, a
            list that fits): the CSP refuses one in HTML; React sets it later through the CSSOM, which it allows. */}
        {above > 0 && <div aria-hidden="true" style={{ height: above }} />}
        {rows.map((row) => {
          const ticket = tickets[row.index];
          return (
            <div
              key={ticket.id}
              id={`row-${ticket.id}`}
              role="row"
              aria-rowindex={row.index + 2}
              aria-selected={row.index === active}
              className={`ticket-row${row.index === active ? ' active' : ''}${selection?.ids.has(ticket.id) ? ' selected' : ''}`}
              onClick={() => setActive(row.index)}
              onDoubleClick={() => open(ticket)}
            >
              {selection && (
                <span role="gridcell">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.select', { number: ticket.number })}
                    checked={selection.ids.has(ticket.id)}
                    // The click carries shift (a change event does not); the change itself is made here.
                    onClick={(event) => {
                      event.stopPropagation();
                      setActive(row.index);
                      selection.toggle(row.index, event.shiftKey);
                    }}
                    onChange={() => undefined}
                  />
                </span>
              )}
              <span role="gridcell">
                <Link to="/tickets/$ticketId" params={{ ticketId: ticket.id }} tabIndex={-1}>
                  {ticket.number}
                </Link>
              </span>
              <span role="gridcell" className="subject">
                {/* A real link, so the list reads and opens before the script runs (server-rendered). */}
                <Link to="/tickets/$ticketId" params={{ ticketId: ticket.id }} tabIndex={-1}>
                  {ticket.subject}
                </Link>
              </span>
              <span role="gridcell">{customerName(ticket.customerId)}</span>
              <span role="gridcell">
                <span className={`priority priority-${ticket.priority}`}>{ticket.priority}</span>
              </span>
              <span role="gridcell">{t(`status.${ticket.status}`)}</span>
              <span role="gridcell">
                <SlaBadge ticket={ticket} now={now} calendar={calendarFor(ticket.customerId)} />
              </span>
              <span role="gridcell">{agentName(ticket.assigneeId) ?? t('ticket.unassigned')}</span>
              <span role="gridcell" className="tags">
                {ticket.tags.join(', ')}
              </span>
            </div>
          );
        })}
        {below > 0 && <div aria-hidden="true" style={{ height: below }} />}
      </div>
      {isFetchingNextPage && (
        <p className="loading" role="status">
          {t('inbox.loadingMore')}
        </p>
      )}
    </div>
  );
}
