import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { formatDateTime } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { SlaBadge } from './sla-badge';

export function TicketHeader({ ticket }: { ticket: Schemas['TicketResponseDto'] }) {
  const { t } = useTranslation();
  const { customers, customerName, agentName } = useDirectory();
  const now = useNow();
  const customer = customers.find((c) => c.id === ticket.customerId);
  const plan = api.useQuery('get', '/api/v1/support-plans/{id}', { params: { path: { id: customer?.supportPlanId ?? '' } } }, { enabled: Boolean(customer), staleTime: 5 * 60_000 });

  return (
    <header className="ticket-header">
      <h1 id="ticket-title">
        <span className="ticket-number">{ticket.number}</span> {ticket.subject}
      </h1>
      <dl className="facts">
        <div>
          <dt>{t('ticket.status')}</dt>
          <dd>
            <span className={`status status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('ticket.priority')}</dt>
          <dd>
            <span className={`priority priority-${ticket.priority}`}>{t(`priority.${ticket.priority}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('ticket.sla')}</dt>
          <dd>
            <SlaBadge ticket={ticket} now={now} />
          </dd>
        </div>
        <div>
          <dt>{t('ticket.queue')}</dt>
          <dd>{ticket.queue ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('ticket.assignee')}</dt>
          <dd>{agentName(ticket.assigneeId) ?? t('ticket.unassigned')}</dd>
        </div>
        <div>
          <dt>{t('ticket.customer')}</dt>
          <dd>{customerName(ticket.customerId)}</dd>
        </div>
        <div>
          <dt>{t('ticket.plan')}</dt>
          <dd>{plan.data?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('ticket.requester')}</dt>
          <dd>
            {ticket.requester.name} &lt;{ticket.requester.email}&gt;
          </dd>
        </div>
        <div>
          <dt>{t('ticket.category')}</dt>
          <dd>{ticket.category ? t(`category.${ticket.category}`) : '—'}</dd>
        </div>
        <div>
          <dt>{t('ticket.product')}</dt>
          <dd>{ticket.product ? t(`product.${ticket.product}`) : '—'}</dd>
        </div>
        <div>
          <dt>{t('ticket.channel')}</dt>
          <dd>{t(`channel.${ticket.channel}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.created')}</dt>
          <dd>{formatDateTime(ticket.createdAt)}</dd>
        </div>
        {ticket.tags.length > 0 && (
          <div>
            <dt>{t('ticket.tags')}</dt>
            <dd>{ticket.tags.join(', ')}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}
