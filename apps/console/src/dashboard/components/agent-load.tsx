import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Switch } from '../../ui/fields';
import { ErrorMessage, QueryState } from '../../ui/feedback';

/** Agents with their cap and queues; availability switches on and off here (assignment skips the unavailable). */
export function AgentLoad() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const agents = api.useQuery('get', '/api/v1/agents');
  const update = api.useMutation('patch', '/api/v1/agents/{id}', { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/agents'] }) });

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
                <th scope="col">{t('agents.cap')}</th>
                <th scope="col">{t('agents.available')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((agent) => (
                <tr key={agent.id}>
                  <th scope="row">{agent.name}</th>
                  <td>{agent.queues.join(', ') || '—'}</td>
                  <td>{agent.maxOpenTickets}</td>
                  <td>
                    <Switch isSelected={agent.available} isDisabled={update.isPending} onChange={(available) => update.mutate({ params: { path: { id: agent.id } }, body: { available } })}>
                      <span className="visually-hidden">{t('agents.availableFor', { name: agent.name })}</span>
                    </Switch>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <ErrorMessage error={update.error} />
    </section>
  );
}
