import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useCapabilities } from '../../auth/session';
import { useLiveStatus } from '../../live/live-events';
import { QueryState } from '../../ui/feedback';
import { AgentLoad } from './agent-load';
import { EscalationTiers } from './escalation-tiers';
import { JobQueues } from './job-queues';
import { QueueTiles } from './queue-tiles';
import { SlaReport } from './sla-report';
import { Forbidden } from '../../app/forbidden';

/** Without the stream (reconnecting), the snapshot is asked for this often instead. */
const STATS_FALLBACK_MS = 10_000;

/**
 * The manager's dashboard. The queue snapshot arrives with the live stream every 2 s (the stream's
 * `stats` events fill the GET /queues/stats query), so the page polls only while the stream is down.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const { capabilities } = useCapabilities();
  const live = useLiveStatus();
  const stats = api.useQuery('get', '/api/v1/queues/stats', undefined, { enabled: capabilities.admin, staleTime: live === 'live' ? Infinity : 0, refetchInterval: live === 'live' ? false : STATS_FALLBACK_MS });
  if (!capabilities.admin) return <Forbidden />;

  return (
    <section className="page dashboard" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dashboard.title')}</h1>
      <QueryState query={stats}>
        {(snapshot) => (
          <>
            <QueueTiles queues={snapshot.ticketQueues} />
            <div className="dashboard-grid">
              <EscalationTiers tiers={snapshot.escalations} />
              <AgentLoad />
            </div>
            <SlaReport />
            <JobQueues jobs={snapshot.jobQueues} workers={snapshot.workers} at={snapshot.at} />
          </>
        )}
      </QueryState>
    </section>
  );
}
