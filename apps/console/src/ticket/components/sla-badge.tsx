import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatDateTime, formatDuration } from '../../ui/format';
import { slaState } from '../sla';

/** The SLA countdown of a ticket: time to its current target, coloured at 75 % and when breached. */
export function SlaBadge({ ticket, now }: { ticket: Pick<Schemas['TicketResponseDto'], 'status' | 'createdAt' | 'sla'>; now: number }) {
  const { t } = useTranslation();
  const state = slaState(ticket, now);
  if (state.level === 'none' || state.level === 'done') return <span className={`sla sla-${state.level}`}>{state.level === 'done' ? t('sla.done') : '—'}</span>;
  const target = t(`sla.target.${state.target}`);
  const when = formatDuration(state.remainingMs);
  // The API may flag a breach before this clock shows the due time as past (clocks differ by seconds).
  const text = state.level === 'breached' ? (state.remainingMs < 0 ? t('sla.overdue', { when }) : t('sla.breached')) : state.level === 'paused' ? t('sla.paused') : t('sla.left', { when });
  return (
    <span className={`sla sla-${state.level}`} title={`${target}: ${formatDateTime(state.dueAt)}`}>
      <span className="visually-hidden">{target}: </span>
      {text}
    </span>
  );
}
