import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useLiveEvents } from '../../live/live-events';
import { useCoalesced } from '../../live/use-coalesced';
import { Switch } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';

/**
 * How often the load is read again while the live stream runs. Assignments and resolutions are not
 * announced one by one on the stream; its `stats` event (every 2 s) paces a re-read instead, so an
 * open dashboard costs one small request per gap, never one per ticket.
 */
const LOAD_REFRESH_MS = 10_000;

/** Agents with their open tickets against their cap and their queues; availability switches on and off here (assignment skips the unavailable). */
export function AgentLoad() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const agents = api.useQuery('get', '/api/v1/agents');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/agents'] });
  const update = api.useMutation('patch', '/api/v1/agents/{id}', { onSuccess: refresh });
  useLiveEvents(['stats'], useCoalesced(refresh, LOAD_REFRESH_MS));

  return (
    <section className="panel" aria-labelledby="agents-load-title">
      <h2 id="agents-load-title">{t('dashboard.agents')}</h2>
      <QueryState query={agents}>
        {(list) => (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('agents.name')}</th>
                <th scope="col">{t('agents.queues')}</th>
                <th scope="col">{t('agents.load')}</th>
                <th scope="col">{t('agents.available')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((agent) => {
                const atCap = agent.openTickets >= agent.maxOpenTickets;
                return (
                <tr key={agent.id}>
                  <th scope="row">{agent.name}</th>
                  <td>{agent.queues.join(', ') || '—'}</td>
                  <td className={atCap ? 'load at-cap' : 'load'}>
                    <meter min={0} max={Math.max(agent.maxOpenTickets, 1)} high={Math.max(agent.maxOpenTickets, 1) * 0.8} value={agent.openTickets} aria-label={t('agents.loadLabel', { name: agent.name, open: agent.openTickets, cap: agent.maxOpenTickets })} />{' '}
                    {t('agents.loadOf', { open: agent.openTickets, cap: agent.maxOpenTickets })}
                    {atCap ? ` · ${t('agents.atCap')}` : ''}
                  </td>
                  <td>
                    <Switch isSelected={agent.available} isDisabled={update.isPending} onChange={(available) => update.mutate({ params: { path: { id: agent.id } }, body: { available } })}>
                      <span className="visually-hidden">{t('agents.availableFor', { name: agent.name })}</span>
                    </Switch>
                  </td>
                </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorMessage error={update.error} />
    </section>
  );
}
