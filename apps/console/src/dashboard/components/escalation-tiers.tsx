import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link } from '@tanstack/react-router';
import { api, type Schemas } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';
import { ErrorMessage } from '../../ui/feedback';
import { formatDateTime } from '../../ui/format';

/** Escalations per tier (pending, failed) and the failed ones, each with a retry. */
export function EscalationTiers({ tiers }: { tiers: Schemas['EscalationTierStatsDto'][] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const failed = api.useQuery('get', '/api/v1/escalations', { params: { query: { status: 'failed', limit: 20 } } });
  const retry = api.useMutation('post', '/api/v1/escalations/{id}/retry', { onSuccess: () => void failed.refetch() });
  useLiveEvents(['escalation.failed', 'reconnected'], () => void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/escalations'] }));

  return (
    <section className="panel" aria-labelledby="tiers-title">
      <h2 id="tiers-title">{t('dashboard.escalations')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.tier')}</th>
            <th scope="col">{t('dashboard.pending')}</th>
            <th scope="col">{t('dashboard.failed')}</th>
            <th scope="col">{t('dashboard.deliveredLastHour')}</th>
            <th scope="col">{t('dashboard.p95')}</th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((tier) => (
            <tr key={tier.tier}>
              <th scope="row">{t(`tier.${tier.tier}`)}</th>
              <td>{tier.queued + tier.awaitingVendorCase}</td>
              <td className={tier.failed > 0 ? 'error-text' : undefined}>{tier.failed}</td>
              <td>{tier.deliveredLastHour}</td>
              <td>{tier.p95DeliveryMs === null ? '—' : `${tier.p95DeliveryMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {failed.data && failed.data.items.length > 0 && (
        <>
          <h3>{t('dashboard.failedEscalations')}</h3>
          <ul className="failed-escalations">
            {failed.data.items.map((e) => (
              <li key={e.id}>
                <Link to="/tickets/$ticketId" params={{ ticketId: e.ticketId }}>
                  {t(`tier.${e.tier}`)} · {formatDateTime(e.updatedAt)}
                </Link>{' '}
                <span className="muted">{e.lastError}</span>{' '}
                <Button className="button small" onPress={() => retry.mutate({ params: { path: { id: e.id } } })} isDisabled={retry.isPending}>
                  {t('escalations.retry')}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorMessage error={failed.error ?? retry.error} />
    </section>
  );
}
