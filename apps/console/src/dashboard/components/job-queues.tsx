import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { formatDateTime } from '../../ui/format';

/** The background job queues: depth, failures, throughput, workers listening. */
export function JobQueues({ jobs, workers, at }: { jobs: Schemas['JobQueueStatsDto'][]; workers: Schemas['WorkerCountDto'][]; at: string }) {
  const { t } = useTranslation();
  const workerCount = (queue: string) => workers.find((w) => w.queue === queue)?.count ?? 0;
  return (
    <section className="panel" aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t('dashboard.jobs')}</h2>
      <table>
        <caption className="muted">{t('dashboard.asOf', { at: formatDateTime(at) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.jobQueue')}</th>
            <th scope="col">{t('dashboard.depth')}</th>
            <th scope="col">{t('dashboard.active')}</th>
            <th scope="col">{t('dashboard.failed')}</th>
            <th scope="col">{t('dashboard.perMinute')}</th>
            <th scope="col">{t('dashboard.workers')}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.name}>
              <th scope="row">{job.name}</th>
              <td>{job.waiting + job.delayed}</td>
              <td>{job.active}</td>
              <td className={job.failed > 0 ? 'error-text' : undefined}>{job.failed}</td>
              <td>{job.completedLastMinute}</td>
              <td className={workerCount(job.name) === 0 ? 'error-text' : undefined}>{workerCount(job.name)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
