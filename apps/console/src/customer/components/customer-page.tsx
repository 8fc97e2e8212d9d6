import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useCapabilities } from '../../auth/session';
import { TokensPanel } from '../../tokens/components/tokens-panel';
import { Empty, QueryState } from '../../ui/feedback';
import { formatDateTime } from '../../ui/format';

const route = getRouteApi('/customers/$customerId');

/** How many of the customer's tickets the page lists (most recently changed first). */
const RECENT_TICKETS = 25;

/**
 * A customer as staff see it: its plan and domains, its contacts (each with the language they hear
 * back in), and its timeline of tickets, the most recently changed first.
 */
export function CustomerPage() {
  const { t } = useTranslation();
  const { customerId } = route.useParams();
  const { capabilities } = useCapabilities();
  const path = { params: { path: { id: customerId } } };
  const customer = api.useQuery('get', '/api/v1/customers/{id}', path);
  const contacts = api.useQuery('get', '/api/v1/customers/{id}/contacts', path);
  const plan = api.useQuery('get', '/api/v1/support-plans/{id}', { params: { path: { id: customer.data?.supportPlanId ?? '' } } }, { enabled: Boolean(customer.data) });
  const tickets = api.useQuery('get', '/api/v1/tickets', { params: { query: { customerId, sort: '-updated', limit: RECENT_TICKETS } } });

  return (
    <QueryState query={customer}>
      {(data) => (
        <article className="page customer" aria-labelledby="customer-title">
          <p className="breadcrumbs">
            <Link to="/customers">{t('customers.title')}</Link> / {data.name}
          </p>
          <h1 id="customer-title">{data.name}</h1>
          <dl className="facts">
            <div>
              <dt>{t('ticket.plan')}</dt>
              <dd>{plan.data?.name ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('customers.domains')}</dt>
              <dd>{data.domains.length ? data.domains.join(', ') : '—'}</dd>
            </div>
          </dl>
          <div className="customer-columns">
            <section className="panel" aria-labelledby="contacts-title">
              <h2 id="contacts-title">{t('customers.contacts')}</h2>
              <QueryState query={contacts}>
                {(list) =>
                  list.length === 0 ? (
                    <Empty>{t('customers.noContacts')}</Empty>
                  ) : (
                    <table className="data-table">
                      <thead>
                        <tr>
                          <th scope="col">{t('customers.name')}</th>
                          <th scope="col">{t('contact.email')}</th>
                          <th scope="col">{t('contact.phone')}</th>
                          <th scope="col">{t('customers.locale')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {list.map((contact) => (
                          <tr key={contact.id}>
                            <th scope="row">
                              {contact.name}
                              {contact.primary && <span className="pill">{t('customers.primary')}</span>}
                            </th>
                            <td>{contact.email}</td>
                            <td>{contact.phone ?? '—'}</td>
                            <td>{t(`layout.languages.${contact.locale}`)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )
                }
              </QueryState>
            </section>
            <section className="panel" aria-labelledby="customer-timeline-title">
              <h2 id="customer-timeline-title">{t('customers.timeline')}</h2>
              <QueryState query={tickets}>
                {(page) =>
                  page.items.length === 0 ? (
                    <Empty>{t('customers.noTickets')}</Empty>
                  ) : (
                    <ol className="timeline">
                      {page.items.map((ticket) => (
                        <li key={ticket.id} className="timeline-entry">
                          <div className="entry-meta">
                            <time dateTime={ticket.updatedAt}>{formatDateTime(ticket.updatedAt)}</time>
                            <span className={`priority priority-${ticket.priority}`}>{ticket.priority}</span>
                            <span>{t(`status.${ticket.status}`)}</span>
                          </div>
                          <Link to="/tickets/$ticketId" params={{ ticketId: ticket.id }}>
                            {ticket.number}
                          </Link>{' '}
                          {ticket.subject}
                        </li>
                      ))}
                    </ol>
                  )
                }
              </QueryState>
            </section>
          </div>
          {capabilities.managesCustomers && (
            <TokensPanel owner={{ kind: 'customer', id: customerId }} title={t('tokens.customer')} canIssue={capabilities.admin} canChange />
          )}
        </article>
      )}
    </QueryState>
  );
}
