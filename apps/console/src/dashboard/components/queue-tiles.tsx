import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { Empty } from '../../ui/feedback';
import { formatDuration } from '../../ui/format';
import { useNow } from '../../ui/use-now';

/** One tile per ticket queue: open, unassigned, at risk, breached, oldest waiting. */
export function QueueTiles({ queues }: { queues: Schemas['TicketQueueStatsDto'][] }) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">{t('dashboard.queues')}</h2>
      {queues.length === 0 ? (
        <Empty>{t('dashboard.noOpenTickets')}</Empty>
      ) : (
        <ul className="tiles">
          {queues.map((queue) => (
            <li key={queue.queue ?? '-'} className={`tile${queue.slaBreached > 0 ? ' breached' : queue.slaAtRisk > 0 ? ' at-risk' : ''}`}>
              <h3>{queue.queue ?? t('dashboard.unrouted')}</h3>
              <dl>
                <div>
                  <dt>{t('dashboard.open')}</dt>
                  <dd>{queue.open}</dd>
                </div>
                <div>
                  <dt>{t('dashboard.unassigned')}</dt>
                  <dd>{queue.unassigned}</dd>
                </div>
                <div>
                  <dt>{t('dashboard.atRisk')}</dt>
                  <dd>{queue.slaAtRisk}</dd>
                </div>
                <div>
                  <dt>{t('dashboard.breached')}</dt>
                  <dd>{queue.slaBreached}</dd>
                </div>
                <div>
                  <dt>{t('dashboard.oldest')}</dt>
                  <dd>{queue.oldestOpenAt ? formatDuration(now - Date.parse(queue.oldestOpenAt)) : '—'}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
