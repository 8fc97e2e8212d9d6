import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatDateTime, formatDuration } from '../../ui/format';
import { slaState, type BusinessClock } from '../sla';

/**
 * The SLA countdown of a ticket: business time to its current target (the plan's calendar), coloured
 * from the monitor's warn time and when breached. Until the calendar is loaded it shows the due time.
 * Memoised: counting business minutes over a plan's calendar is the costly part of drawing a ticket's
 * header, done again only when the ticket, the clock's tick or the calendar changes.
 */
export const SlaBadge = memo(function SlaBadge({
  ticket,
  now,
  calendar,
  zone,
}: {
  ticket: Pick<Schemas['TicketResponseDto'], 'status' | 'sla'>;
  now: number;
  calendar: BusinessClock | null;
  /** The zone the due time is drawn in (ui/time-zone.ts); the browser's own by default. */
  zone?: string;
}) {
  const { t } = useTranslation();
  const state = slaState(ticket, now, calendar);
  // The countdown depends on "now" and the due time on the clock's time zone: the server render's text
  // may differ from the browser's first one by a minute or an hour; the next tick (or the calendar's
  // arrival) draws the browser's. Only these text nodes are exempt from the hydration check.
  if (state.level === 'none' || state.level === 'done') return <span className={`sla sla-${state.level}`}>{state.level === 'done' ? t('sla.done') : '—'}</span>;
  const target = t(`sla.target.${state.target}`);
  const due = formatDateTime(state.dueAt, zone);
  const left = () => (state.businessMinutesLeft === null ? t('sla.dueAt', { when: due }) : t('sla.left', { when: formatDuration(state.businessMinutesLeft * 60_000, 'hour') }));
  // The API may flag a breach before this clock shows the due time as past (clocks differ by seconds).
  const text =
    state.level === 'breached' ? (state.remainingMs < 0 ? t('sla.overdue', { when: formatDuration(state.remainingMs) }) : t('sla.breached')) : state.level === 'paused' ? t('sla.paused') : left();
  return (
    <span className={`sla sla-${state.level}`} title={`${target}: ${due}`} suppressHydrationWarning>
      <span className="visually-hidden">{target}: </span>
      {text}
    </span>
  );
});
